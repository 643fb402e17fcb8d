/**
 * The dead-letter queue: one table, a `reason` per entry (error after retries, validation
 * quarantine). An entry can be edited (its payload), replayed (the same record becomes ready
 * again with the edited payload and fresh attempts, keeping its id and so its idempotency keys)
 * or discarded. Both release a key the flow held.
 */
import { DatongError } from '../errors/datong-error.ts';
import type { Db } from './db.ts';
import type { DeadLetter } from './rows.ts';
import { decodeCursor, encodeCursor, type Page } from './paging.ts';

interface DeadLetterRow {
  id: string;
  record_id: string;
  flow: string;
  reason: DeadLetter['reason'];
  step: string | null;
  error_code: string;
  error: string;
  attempts: number;
  payload: string;
  original_payload: string;
  state: DeadLetter['state'];
  created_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    recordId: row.record_id,
    flow: row.flow,
    reason: row.reason,
    step: row.step,
    errorCode: row.error_code,
    error: JSON.parse(row.error),
    attempts: Number(row.attempts),
    payload: JSON.parse(row.payload),
    originalPayload: JSON.parse(row.original_payload),
    state: row.state,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    resolvedAt: row.resolved_at === null ? null : new Date(Number(row.resolved_at)).toISOString(),
    resolvedBy: row.resolved_by,
  };
}

export async function listDeadLetters(
  db: Db,
  filter: { flow?: string; state?: DeadLetter['state']; reason?: DeadLetter['reason']; limit: number; cursor?: string },
): Promise<Page<DeadLetter>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.flow) (where.push('flow = ?'), params.push(filter.flow));
  if (filter.state) (where.push('state = ?'), params.push(filter.state));
  if (filter.reason) (where.push('reason = ?'), params.push(filter.reason));
  if (filter.cursor) (where.push('id > ?'), params.push(decodeCursor(filter.cursor)));
  const sql = `SELECT * FROM dead_letters ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
  const rows = await db.all<DeadLetterRow>(sql, [...params, filter.limit + 1]);
  const items = rows.slice(0, filter.limit).map(toDeadLetter);
  return { items, nextCursor: rows.length > filter.limit ? encodeCursor(items[items.length - 1].id) : null };
}

export async function getDeadLetter(db: Db, id: string): Promise<DeadLetter | undefined> {
  const row = await db.get<DeadLetterRow>('SELECT * FROM dead_letters WHERE id = ?', [id]);
  return row ? toDeadLetter(row) : undefined;
}

async function requireOpen(tx: Db, id: string): Promise<DeadLetter> {
  const entry = await getDeadLetter(tx, id);
  if (!entry) throw new DatongError('DT_API_NOT_FOUND', { params: { what: `dead letter ${id}` } });
  if (entry.state !== 'open') throw new DatongError('DT_DEAD_LETTER_STATE', { params: { id, state: entry.state } });
  return entry;
}

export async function editDeadLetter(tx: Db, id: string, payload: unknown): Promise<DeadLetter> {
  await requireOpen(tx, id);
  await tx.run('UPDATE dead_letters SET payload = ? WHERE id = ?', [JSON.stringify(payload), id]);
  return (await getDeadLetter(tx, id))!;
}

/**
 * Puts the record back in the queue with the (possibly edited) payload, pinned to `snapshot`
 * (the active one: a fixed mapping applies to the replay).
 */
export async function replayDeadLetter(tx: Db, id: string, options: { actor: string; snapshot: number; now?: number }): Promise<DeadLetter> {
  const entry = await requireOpen(tx, id);
  const now = options.now ?? Date.now();
  const actor = options.actor;
  await tx.run(
    `UPDATE records SET state = 'ready', payload = ?, snapshot = ?, attempts = 0, holds_key = 0, last_error = NULL, done_targets = NULL, finished_at = NULL
     WHERE id = ? AND state = 'dead'`,
    [JSON.stringify(entry.payload), options.snapshot, entry.recordId],
  );
  await tx.run(`UPDATE dead_letters SET state = 'replayed', resolved_at = ?, resolved_by = ? WHERE id = ?`, [now, actor, id]);
  return (await getDeadLetter(tx, id))!;
}

export async function discardDeadLetter(tx: Db, id: string, actor: string, now = Date.now()): Promise<DeadLetter> {
  const entry = await requireOpen(tx, id);
  await tx.run('UPDATE records SET holds_key = 0 WHERE id = ?', [entry.recordId]);
  await tx.run(`UPDATE dead_letters SET state = 'discarded', resolved_at = ?, resolved_by = ? WHERE id = ?`, [now, actor, id]);
  return (await getDeadLetter(tx, id))!;
}
