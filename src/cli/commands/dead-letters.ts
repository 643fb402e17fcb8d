import type { Command } from 'commander';
import { localTime, table } from './format.ts';
import { clientFor, hubCommand, print, printJson, type HubCommandOptions } from './hub-options.ts';

export interface DeadLetterView {
  id: string;
  recordId: string;
  flow: string;
  reason: string;
  step: string | null;
  errorCode: string;
  error: { message: string };
  state: string;
  createdAt: string;
}

/** `datong dead-letters`: the quarantine, filtered by flow and state. */
export function deadLettersCommand(program: Command): void {
  hubCommand(program, 'dead-letters', 'List dead letters (records that failed after their retries, or were quarantined)')
    .option('--flow <id>', 'only this flow')
    .option('--state <state>', 'open, replayed or discarded', 'open')
    .option('--reason <reason>', 'error or validation')
    .option('--limit <n>', 'at most this many (1–500)', '50')
    .option('--cursor <cursor>', 'continue after a previous page (printed under the list)')
    .action(async (options: HubCommandOptions & { flow?: string; state: string; reason?: string; limit: string; cursor?: string }) => {
      const page = await clientFor(options).get<{ items: DeadLetterView[]; nextCursor: string | null }>('/dead-letters', {
        flow: options.flow,
        state: options.state,
        reason: options.reason,
        limit: options.limit,
        cursor: options.cursor,
      });
      if (options.json) return printJson(page);
      if (page.items.length === 0) return print(`✔ no ${options.state} dead letters${options.flow ? ` in ${options.flow}` : ''}`);
      print(
        table(
          ['ID', 'FLOW', 'STEP', 'CODE', 'SINCE', 'ERROR'],
          page.items.map((entry) => [entry.id, entry.flow, entry.step, entry.errorCode, localTime(entry.createdAt), entry.error.message.slice(0, 80)]),
        ),
      );
      if (page.nextCursor) print('', `more: datong dead-letters --cursor ${page.nextCursor}`);
    });
}
