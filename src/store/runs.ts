/** Run history and record traces: every attempt of every record, hop by hop. */
import type { Db } from './db.ts';
import { toEnvelope, type RecordRow, type RecordState, type RunEntry } from './rows.ts';
import type { RecordEnvelope } from '../record/envelope.ts';
import type { SerializedError } from '../errors/datong-error.ts';
import { decodeCursor, encodeCursor, type Page } from './paging.ts';

interface RunRow {
  seq: number;
  record_id: string;
  flow: string;
  attempt: number;
  worker: string;
  started_at: number;
  finished_at: number;
  outcome: RunEntry['outcome'];
  error_code: string | null;
  hops: string;
}

export interface RunView extends RunEntry {
  seq: number;
}

function toRun(row: RunRow): RunView {
  return {
    seq: Number(row.seq),
    recordId: row.record_id,
    flow: row.flow,
    attempt: Number(row.attempt),
    worker: row.worker,
    startedAt: Number(row.started_at),
    finishedAt: Number(row.finished_at),
    outcome: row.outcome,
    ...(row.error_code ? { errorCode: row.error_code } : {}),
    hops: JSON.parse(row.hops),
  };
}

export async function listRuns(db: Db, filter: { flow?: string; outcome?: string; limit: number; cursor?: string }): Promise<Page<Omit<RunView, 'hops'>>> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.flow) (where.push('flow = ?'), params.push(filter.flow));
  if (filter.outcome) (where.push('outcome = ?'), params.push(filter.outcome));
  if (filter.cursor) (where.push('seq < ?'), params.push(Number(decodeCursor(filter.cursor))));
  const rows = await db.all<RunRow>(
    `SELECT seq, record_id, flow, attempt, worker, started_at, finished_at, outcome, error_code, '[]' AS hops FROM runs
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
    [...params, filter.limit + 1],
  );
  const items = rows.slice(0, filter.limit).map((row) => {
    const { hops: _omit, ...rest } = toRun(row);
    return rest;
  });
  return { items, nextCursor: rows.length > filter.limit ? encodeCursor(items[items.length - 1].seq) : null };
}

export interface RecordTrace {
  record: RecordEnvelope & { state: RecordState; attempts: number; lastError: SerializedError | null; finishedAt: string | null };
  runs: RunView[];
}

export async function traceRecord(db: Db, recordId: string): Promise<RecordTrace | undefined> {
  const row = await db.get<RecordRow>('SELECT * FROM records WHERE id = ?', [recordId]);
  if (!row) return undefined;
  const runs = await db.all<RunRow>('SELECT * FROM runs WHERE record_id = ? ORDER BY seq', [recordId]);
  return {
    record: {
      ...toEnvelope(row),
      state: row.state,
      attempts: Number(row.attempts),
      lastError: row.last_error ? JSON.parse(row.last_error) : null,
      finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)).toISOString(),
    },
    runs: runs.map(toRun),
  };
}

/** Finds records by their source id (what a user knows), newest first. */
export async function findRecords(db: Db, filter: { flow?: string; sourceId: string; limit: number }): Promise<{ id: string; flow: string; state: RecordState; acceptedAt: string }[]> {
  const rows = await db.all<{ id: string; flow: string; state: RecordState; accepted_at: number }>(
    `SELECT id, flow, state, accepted_at FROM records WHERE source_id = ? ${filter.flow ? 'AND flow = ?' : ''} ORDER BY seq DESC LIMIT ?`,
    filter.flow ? [filter.sourceId, filter.flow, filter.limit] : [filter.sourceId, filter.limit],
  );
  return rows.map((row) => ({ id: row.id, flow: row.flow, state: row.state, acceptedAt: new Date(Number(row.accepted_at)).toISOString() }));
}
