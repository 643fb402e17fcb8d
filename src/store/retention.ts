/**
 * Retention: finished records with their runs, run history and resolved dead letters older than
 * their limit are deleted in small batches, so the store does not grow without bound and no
 * single delete holds the write lock for long.
 */
import type { Db } from './db.ts';

export interface RetentionLimits {
  doneRecordsDays: number;
  deadLettersDays: number;
  runsDays: number;
}

export const DEFAULT_RETENTION: RetentionLimits = { doneRecordsDays: 7, deadLettersDays: 30, runsDays: 14 };

const DAY = 86_400_000;

async function deleteInBatches(db: Db, sql: string, params: unknown[], batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const { changes } = await db.run(sql, [...params, batch]);
    total += changes;
    if (changes < batch) return total;
  }
}

export async function applyRetention(db: Db, limits: RetentionLimits, now = Date.now()): Promise<{ records: number; runs: number; deadLetters: number }> {
  const runs = await deleteInBatches(db, 'DELETE FROM runs WHERE seq IN (SELECT seq FROM runs WHERE finished_at < ? LIMIT ?)', [now - limits.runsDays * DAY]);
  const deadLetters = await deleteInBatches(
    db,
    `DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE state <> 'open' AND resolved_at < ? LIMIT ?)`,
    [now - limits.deadLettersDays * DAY],
  );
  // A dead record stays while its dead letter is open: replay needs it.
  const records = await deleteInBatches(
    db,
    `DELETE FROM records WHERE seq IN (SELECT seq FROM records WHERE state = 'done' AND finished_at < ? LIMIT ?)`,
    [now - limits.doneRecordsDays * DAY],
  );
  const dead = await deleteInBatches(
    db,
    `DELETE FROM records WHERE seq IN (SELECT r.seq FROM records r WHERE r.state = 'dead' AND r.finished_at < ?
       AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.record_id = r.id AND d.state = 'open') LIMIT ?)`,
    [now - limits.deadLettersDays * DAY],
  );
  return { records: records + dead, runs, deadLetters };
}
