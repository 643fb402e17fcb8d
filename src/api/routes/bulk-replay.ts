/**
 * Bulk replay in transactions of {@link CHUNK} entries, each replay audited with it. A bulk
 * replay of a whole flow walks the open entries by id, so entries dead-lettered meanwhile are
 * included when they sort after the walk's position and never replayed twice.
 */
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { getDeadLetter, listDeadLetters, replayDeadLetter } from '../../store/dead-letters.ts';

const CHUNK = 100;

export interface ReplayCounts {
  replayed: number;
  /** Entries that exist but are not open (already replayed or discarded), or of another flow. */
  skipped: number;
  notFound: number;
}

export async function replayMany(hub: Hub, request: { flow?: string; ids?: string[]; actor: string; snapshot: number }): Promise<ReplayCounts> {
  const counts: ReplayCounts = { replayed: 0, skipped: 0, notFound: 0 };
  if (request.ids) {
    const unique = [...new Set(request.ids)];
    for (let start = 0; start < unique.length; start += CHUNK) await replayChunk(hub, unique.slice(start, start + CHUNK), request, counts);
    return counts;
  }
  let cursor: string | undefined;
  for (;;) {
    const page = await listDeadLetters(hub.db, { flow: request.flow, state: 'open', limit: CHUNK, cursor });
    await replayChunk(hub, page.items.map((entry) => entry.id), request, counts);
    if (!page.nextCursor) return counts;
    cursor = page.nextCursor;
  }
}

async function replayChunk(hub: Hub, ids: string[], request: { flow?: string; actor: string; snapshot: number }, counts: ReplayCounts): Promise<void> {
  if (ids.length === 0) return;
  const chunk: ReplayCounts = { replayed: 0, skipped: 0, notFound: 0 };
  await hub.db.transaction(async (tx) => {
    chunk.replayed = chunk.skipped = chunk.notFound = 0;
    for (const id of ids) {
      const entry = await getDeadLetter(tx, id);
      if (!entry) {
        chunk.notFound++;
        continue;
      }
      if (entry.state !== 'open' || (request.flow && entry.flow !== request.flow)) {
        chunk.skipped++;
        continue;
      }
      try {
        await replayDeadLetter(tx, id, { actor: request.actor, snapshot: request.snapshot });
      } catch (error) {
        if (error instanceof DatongError && error.code === 'DT_DEAD_LETTER_STATE') {
          chunk.skipped++;
          continue;
        }
        throw error;
      }
      await hub.audit.append(
        { actor: request.actor, action: 'deadletter.replay', target: `deadletter:${id}`, details: { flow: entry.flow, recordId: entry.recordId, snapshot: request.snapshot, bulk: true } },
        tx,
      );
      chunk.replayed++;
    }
  });
  counts.replayed += chunk.replayed;
  counts.skipped += chunk.skipped;
  counts.notFound += chunk.notFound;
}
