/**
 * Options every command that talks to a running hub shares: where it is, the token, and
 * `--json` for scripts (one JSON document on stdout instead of the human-readable text).
 */
import { Command } from 'commander';
import { HubClient } from '../hub-client.ts';

export interface HubCommandOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** A subcommand of `parent` with the hub connection options and `--json`. */
export function hubCommand(parent: Command, nameAndArgs: string, description: string): Command {
  return parent
    .command(nameAndArgs)
    .description(description)
    .option('--url <url>', 'hub address (env DATONG_URL, default http://127.0.0.1:7878)')
    .option('--token <token>', 'API token (env DATONG_TOKEN)')
    .option('--json', 'print the result as JSON, for scripts');
}

export function clientFor(options: HubCommandOptions): HubClient {
  return HubClient.from(options);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function print(...lines: string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`);
}
