import type { Command } from 'commander';
import { clientFor, hubCommand, print, printJson, type HubCommandOptions } from './hub-options.ts';

/** `datong apply`: the hub re-reads its workspace folder; a valid change becomes the next snapshot. */
export function applyCommand(program: Command): void {
  hubCommand(program, 'apply', 'Make the running hub re-read its workspace folder; a changed, valid workspace becomes the next snapshot').action(
    async (options: HubCommandOptions) => {
      const result = await clientFor(options).post<{ snapshot: number; created: boolean }>('/workspace/apply');
      if (options.json) return printJson(result);
      print(result.created ? `✔ snapshot ${result.snapshot} is active` : `✔ nothing changed; snapshot ${result.snapshot} stays active`);
    },
  );
}
