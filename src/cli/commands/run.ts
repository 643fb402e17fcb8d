import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DatongError } from '../../errors/datong-error.ts';
import { clientFor, hubCommand, print, printJson, type HubCommandOptions } from './hub-options.ts';

/** `datong run <flow>`: fires a scheduled flow now, or feeds one record to any flow. */
export function runCommand(program: Command): void {
  hubCommand(program, 'run', 'Run a flow now: a scheduled flow fires at once; with --payload, the payload enters the flow as a record')
    .argument('<flow>', 'flow id')
    .option('--payload <json|@file>', 'the record: inline JSON, or @path of a JSON file')
    .option('--source-id <id>', 'the record\'s id in its source system (repeating it is deduplicated)')
    .action(async (flow: string, options: HubCommandOptions & { payload?: string; sourceId?: string }) => {
      const payload = options.payload === undefined ? undefined : await readPayload(options.payload);
      const result = await clientFor(options).post<{ recordId: string; duplicate: boolean }>(`/flows/${encodeURIComponent(flow)}/run`, {
        ...(payload === undefined ? {} : { payload }),
        ...(options.sourceId ? { sourceId: options.sourceId } : {}),
      });
      if (options.json) return printJson(result);
      print(result.duplicate ? `✔ already accepted as record ${result.recordId}` : `✔ accepted record ${result.recordId}`, `  trace: datong trace ${result.recordId}`);
    });
}

export async function readPayload(argument: string): Promise<unknown> {
  const text = argument.startsWith('@') ? await readFile(argument.slice(1), 'utf8') : argument;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DatongError('DT_API_BAD_REQUEST', { params: { reason: `--payload is not JSON: ${(error as Error).message}` } });
  }
}
