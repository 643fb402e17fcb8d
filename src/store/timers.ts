/**
 * One durable timers table for cron fires, retry back-offs and (later) process waits.
 * A due timer is leased by one worker (SKIP LOCKED on PostgreSQL), handled, and deleted or
 * moved to its next due time in the same transaction as its effect, so it fires once.
 */
import type { Db } from './db.ts';

export type TimerKind = 'retry' | 'cron' | 'wait' | 'aggregate';

export interface TimerRow {
  id: string;
  kind: TimerKind;
  due_at: number;
  ref: string;
  data: string | null;
}

export async function upsertTimer(db: Db, timer: { id: string; kind: TimerKind; dueAt: number; ref: string; data?: unknown }): Promise<void> {
  await db.run(
    `INSERT INTO timers (id, kind, due_at, ref, data) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET due_at = excluded.due_at, ref = excluded.ref, data = excluded.data, lease_owner = NULL, lease_until = NULL`,
    [timer.id, timer.kind, timer.dueAt, timer.ref, timer.data === undefined ? null : JSON.stringify(timer.data)],
  );
}

export async function getTimer(db: Db, id: string): Promise<TimerRow | undefined> {
  return db.get<TimerRow>('SELECT id, kind, due_at, ref, data FROM timers WHERE id = ?', [id]);
}

export async function deleteTimer(db: Db, id: string): Promise<void> {
  await db.run('DELETE FROM timers WHERE id = ?', [id]);
}

/** Leases due timers; a lease that runs out (worker died) makes the timer due again. */
export async function leaseDueTimers(db: Db, options: { owner: string; limit: number; leaseMs: number; now?: number }): Promise<TimerRow[]> {
  const now = options.now ?? Date.now();
  const candidates = `SELECT id FROM timers WHERE due_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY due_at LIMIT ?`;
  return db.transaction((tx) =>
    tx.all<TimerRow>(
      `UPDATE timers SET lease_owner = ?, lease_until = ?
       WHERE id IN (${tx.dialect === 'postgres' ? `${candidates} FOR UPDATE SKIP LOCKED` : candidates})
       RETURNING id, kind, due_at, ref, data`,
      [options.owner, now + options.leaseMs, now, now, options.limit],
    ),
  );
}

/**
 * Ends a lease early so a timer whose handling failed (its source unreachable, a table not
 * there yet) is tried again at `at` rather than when the full lease runs out. Its due time is
 * kept, so a cron fire retried this way is still the same scheduled fire.
 */
export async function retryTimerAt(db: Db, timer: { id: string; owner: string; at: number }): Promise<void> {
  await db.run('UPDATE timers SET lease_until = ? WHERE id = ? AND lease_owner = ?', [timer.at, timer.id, timer.owner]);
}

/** Makes waiting records whose retry timer is due ready again, and removes those timers. */
export async function fireRetryTimer(tx: Db, timer: TimerRow): Promise<void> {
  await tx.run(`UPDATE records SET state = 'ready' WHERE id = ? AND state = 'waiting'`, [timer.ref]);
  await tx.run('DELETE FROM timers WHERE id = ?', [timer.id]);
}
