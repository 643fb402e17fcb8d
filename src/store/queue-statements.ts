/**
 * The queue's write statements as data (SQL text + parameters), so the same statement can run
 * inside a caller's transaction or be shipped whole to SQLite's commit thread as a script.
 */
import { newId, newTraceId } from '../record/ids.ts';
import type { Completion, NewRecord } from './queue.ts';
import type { RunEntry } from './rows.ts';

export const INSERT_RECORD = `INSERT INTO records (id, flow, snapshot, source_system, source_id, ordering_key, version, delivery_id,
  accepted_at, trace_id, correlation_id, causation_id, org, payload, start_step, state)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready')
  ON CONFLICT (flow, delivery_id) DO NOTHING`;

export function insertParams(record: NewRecord, id: string, now: number): unknown[] {
  return [
    id,
    record.flow,
    record.snapshot,
    record.sourceSystem,
    record.sourceId,
    record.key ?? record.sourceId,
    record.version ?? null,
    record.deliveryId ?? null,
    now,
    record.traceId ?? newTraceId(),
    record.correlationId ?? null,
    record.causationId ?? null,
    record.org ? JSON.stringify(record.org) : null,
    JSON.stringify(record.payload ?? null),
    record.startStep ?? 0,
  ];
}

export interface Statement {
  sql: string;
  params: unknown[];
}

const LEASE_GUARD = `WHERE id = ? AND lease_owner = ? AND state = 'leased'`;

/** Finishes a leased record, guarded by its lease: no change means the lease was lost. */
export function finishStatement(owner: string, completion: Completion, now: number): Statement {
  const id = completion.record.envelope.id;
  switch (completion.kind) {
    case 'done':
      return { sql: `UPDATE records SET state = 'done', finished_at = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL ${LEASE_GUARD}`, params: [now, id, owner] };
    case 'retry':
      return {
        sql: `UPDATE records SET state = 'waiting', lease_owner = NULL, lease_until = NULL, last_error = ?, done_targets = ? ${LEASE_GUARD}`,
        params: [JSON.stringify(completion.error), JSON.stringify(completion.doneTargets), id, owner],
      };
    case 'dead':
      return {
        sql: `UPDATE records SET state = 'dead', finished_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ?, holds_key = ? ${LEASE_GUARD}`,
        params: [now, JSON.stringify(completion.error), completion.holdKey ? 1 : 0, id, owner],
      };
  }
}

export function runStatement(run: RunEntry): Statement {
  return {
    sql: 'INSERT INTO runs (record_id, flow, attempt, worker, started_at, finished_at, outcome, error_code, hops) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    params: [run.recordId, run.flow, run.attempt, run.worker, run.startedAt, run.finishedAt, run.outcome, run.errorCode ?? null, JSON.stringify(run.hops)],
  };
}

export function timerStatement(completion: Extract<Completion, { kind: 'retry' }>): Statement {
  const id = completion.record.envelope.id;
  return { sql: 'INSERT INTO timers (id, kind, due_at, ref) VALUES (?, ?, ?, ?)', params: [`retry:${id}:${completion.record.attempts}`, 'retry', completion.dueAt, id] };
}

export function deadLetterStatement(completion: Extract<Completion, { kind: 'dead' }>, now: number): Statement {
  const envelope = completion.record.envelope;
  const payload = JSON.stringify(envelope.payload);
  return {
    sql: `INSERT INTO dead_letters (id, record_id, flow, reason, step, error_code, error, attempts, payload, original_payload, state, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
    params: [newId(now), envelope.id, envelope.flow, completion.reason, completion.step ?? null, completion.error.code, JSON.stringify(completion.error), completion.record.attempts, payload, payload, now],
  };
}
