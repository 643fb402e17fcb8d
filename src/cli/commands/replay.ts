import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { DatongError } from '../../errors/datong-error.ts';
import type { HubClient } from '../hub-client.ts';
import type { DeadLetterView } from './dead-letters.ts';
import { clientFor, hubCommand, print, printJson, type HubCommandOptions } from './hub-options.ts';

const CHUNK = 100;
/** Fewer replays than this finish too fast for a progress bar to help. */
const BAR_FROM = 2 * CHUNK;

interface Counts {
  replayed: number;
  skipped: number;
  notFound: number;
}

/** `datong replay`: puts dead-lettered records back in the queue. */
export function replayCommand(program: Command): void {
  hubCommand(program, 'replay', 'Replay dead letters: the given ids, every open one of a flow (--flow), or every open one (--all)')
    .argument('[ids...]', 'dead-letter ids')
    .option('--flow <id>', 'every open dead letter of this flow (with ids: only those of this flow)')
    .option('--all', 'every open dead letter of every flow')
    .action(async (ids: string[], options: HubCommandOptions & { flow?: string; all?: boolean }) => {
      if (ids.length === 0 && !options.flow && !options.all) {
        throw new DatongError('DT_API_BAD_REQUEST', { params: { reason: 'give dead-letter ids, --flow <id> or --all' } });
      }
      const client = clientFor(options);
      if (ids.length === 1 && !options.flow) {
        const entry = await client.post<DeadLetterView>(`/dead-letters/${encodeURIComponent(ids[0])}/replay`);
        if (options.json) return printJson(entry);
        return print(`✔ replayed ${entry.id}: record ${entry.recordId} of ${entry.flow} is queued again`);
      }
      const targets = ids.length ? ids : await openIds(client, options.flow);
      const counts = await replayInChunks(client, targets, options.flow, !options.json && targets.length >= BAR_FROM && process.stderr.isTTY === true);
      if (options.json) return printJson(counts);
      const extra = [counts.skipped ? `${counts.skipped} skipped (not open)` : '', counts.notFound ? `${counts.notFound} not found` : ''].filter(Boolean);
      print(`✔ replayed ${counts.replayed} dead letter(s)${extra.length ? `; ${extra.join(', ')}` : ''}`);
    });
}

async function openIds(client: HubClient, flow: string | undefined): Promise<string[]> {
  const ids: string[] = [];
  for await (const page of client.pages<DeadLetterView>('/dead-letters', { state: 'open', flow, limit: 500 })) ids.push(...page.map((entry) => entry.id));
  return ids;
}

async function replayInChunks(client: HubClient, ids: string[], flow: string | undefined, showBar: boolean): Promise<Counts> {
  const counts: Counts = { replayed: 0, skipped: 0, notFound: 0 };
  const bar = showBar ? new cliProgress.SingleBar({ format: 'replaying [{bar}] {value}/{total} ({percentage}%) eta {eta}s', hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(ids.length, 0);
  try {
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      const result = await client.post<Counts>('/dead-letters/replay', { ids: chunk, ...(flow ? { flow } : {}) });
      counts.replayed += result.replayed;
      counts.skipped += result.skipped;
      counts.notFound += result.notFound;
      bar?.increment(chunk.length);
    }
  } finally {
    bar?.stop();
  }
  return counts;
}
