/**
 * The durable record queue, on the store's Db. Records are committed before a trigger
 * acknowledges them, leased by workers, and finished (done, retry later, dead-lettered) in one
 * transaction together with their run trace. Per-key order: a record is leased only when no
 * earlier record of its flow and key is still pending (or dead-lettered with its key held).
 */
import type { Db } from './db.ts';
import type { ScriptRunner, ScriptStep } from './sqlite-db.ts';
import { deadLetterStatement, finishStatement, INSERT_RECORD, insertParams, runStatement, timerStatement } from './queue-statements.ts';
import type { OrgAttributes } from '../record/envelope.ts';
import { newId } from '../record/ids.ts';
import { toLeased, type LeasedRecord, type RecordRow, type RecordState, type RunEntry } from './rows.ts';
import type { SerializedError } from '../errors/datong-error.ts';
import { appendToAggregate, type AggregateAppend } from './aggregates.ts';
import { linkXref } from './xref.ts';

export type XrefLink = Parameters<typeof linkXref>[1];

export interface NewRecord {
  flow: string;
  snapshot: number;
  sourceSystem: string;
  sourceId: string;
  key?: string;
  version?: string;
  deliveryId?: string;
  traceId?: string;
  correlationId?: string;
  causationId?: string;
  org?: OrgAttributes;
  payload: unknown;
  /** Index of the first step to run (split children and aggregate emissions start mid-flow). */
  startStep?: number;
}

export interface AcceptResult {
  id: string;
  /** True when the delivery id was seen before: no new record was made. */
  duplicate: boolean;
}


/** Inserts records inside the caller's transaction; a repeated delivery id yields the earlier record. */
export async function insertRecords(tx: Db, records: readonly NewRecord[], now = Date.now()): Promise<AcceptResult[]> {
  const results: AcceptResult[] = [];
  for (const record of records) {
    const id = newId(now);
    const { changes } = await tx.run(INSERT_RECORD, insertParams(record, id, now));
    if (changes === 1) {
      results.push({ id, duplicate: false });
    } else {
      const existing = await tx.get<{ id: string }>('SELECT id FROM records WHERE flow = ? AND delivery_id = ?', [record.flow, record.deliveryId]);
      results.push({ id: existing?.id ?? id, duplicate: true });
    }
  }
  return results;
}

/**
 * Commits new records in one transaction of their own (the acceptor's group commit). Where the
 * store can commit a batch off the event loop (SQLite's commit thread), it does: the fsync then
 * overlaps with reading the next deliveries. Resolves only after the commit.
 */
export async function commitNewRecords(db: Db, records: readonly NewRecord[], now = Date.now()): Promise<AcceptResult[]> {
  const runner = scriptRunner(db);
  if (!runner) return db.transaction((tx) => insertRecords(tx, records, now));
  const ids = records.map(() => newId(now));
  const done = await runner.runScript(records.map((record, index) => ({ sql: INSERT_RECORD, params: insertParams(record, ids[index]!, now) })));
  const results: AcceptResult[] = [];
  for (const [index, record] of records.entries()) {
    if (done[index]!.changes === 1) {
      results.push({ id: ids[index]!, duplicate: false });
      continue;
    }
    // A repeated delivery id: the earlier record is committed, so a plain read finds it.
    const existing = await db.get<{ id: string }>('SELECT id FROM records WHERE flow = ? AND delivery_id = ?', [record.flow, record.deliveryId]);
    results.push({ id: existing?.id ?? ids[index]!, duplicate: true });
  }
  return results;
}

/** The store's script runner (SQLite's commit thread), if it has one. */
function scriptRunner(db: Db): ScriptRunner | undefined {
  return typeof (db as Partial<ScriptRunner>).runScript === 'function' ? (db as unknown as ScriptRunner) : undefined;
}

const PENDING_STATES = `('ready', 'leased', 'waiting')`;

function leaseSql(dialect: Db['dialect']): string {
  const candidates = `SELECT r.seq FROM records r
    WHERE r.state = 'ready'
      AND NOT EXISTS (
        SELECT 1 FROM records p
        WHERE p.flow = r.flow AND p.ordering_key = r.ordering_key AND p.seq < r.seq
          AND (p.state IN ${PENDING_STATES} OR (p.state = 'dead' AND p.holds_key = 1)))
    ORDER BY r.seq LIMIT ?`;
  const locked = dialect === 'postgres' ? `${candidates} FOR UPDATE OF r SKIP LOCKED` : candidates;
  return `UPDATE records SET state = 'leased', lease_owner = ?, lease_until = ?, attempts = attempts + 1
    WHERE seq IN (${locked}) RETURNING *`;
}

export interface LeaseOptions {
  owner: string;
  limit: number;
  leaseMs: number;
  now?: number;
}

/** Leases up to `limit` ready records in acceptance order. Safe with several workers on PostgreSQL. */
export async function leaseRecords(db: Db, options: LeaseOptions): Promise<LeasedRecord[]> {
  const now = options.now ?? Date.now();
  const params = [options.owner, now + options.leaseMs, options.limit];
  const runner = scriptRunner(db);
  const rows = runner
    ? ((await runner.runScript([{ sql: leaseSql(db.dialect), params }]))[0]!.rows as RecordRow[])
    : await db.transaction((tx) => tx.all<RecordRow>(leaseSql(tx.dialect), params));
  return rows.map(toLeased).sort((a, b) => a.seq - b.seq);
}

/** Returns records whose lease ran out (their worker died or hung) to the ready state. */
export async function releaseExpiredLeases(db: Db, now = Date.now()): Promise<number> {
  const { changes } = await db.run(
    `UPDATE records SET state = 'ready', lease_owner = NULL, lease_until = NULL WHERE state = 'leased' AND lease_until < ?`,
    [now],
  );
  return changes;
}

/** Extends leases a worker still holds (the heartbeat of a running batch); returns how many it still held. */
export async function renewLeases(db: Db, owner: string, ids: readonly string[], leaseMs: number, now = Date.now()): Promise<number> {
  let renewed = 0;
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const { changes } = await db.run(
      `UPDATE records SET lease_until = ? WHERE state = 'leased' AND lease_owner = ? AND id IN (${chunk.map(() => '?').join(', ')})`,
      [now + leaseMs, owner, ...chunk],
    );
    renewed += changes;
  }
  return renewed;
}

export type Completion =
  | {
      kind: 'done';
      record: LeasedRecord;
      run: RunEntry;
      children?: NewRecord[];
      aggregate?: { append: AggregateAppend; item: unknown };
      links?: XrefLink[];
    }
  | { kind: 'retry'; record: LeasedRecord; run: RunEntry; dueAt: number; error: SerializedError; doneTargets: string[] }
  | {
      kind: 'dead';
      record: LeasedRecord;
      run: RunEntry;
      error: SerializedError;
      step?: string;
      reason: 'error' | 'validation';
      holdKey: boolean;
    };

/**
 * Finishes leased records in one transaction. A completion whose lease was lost (another worker
 * took the record after the lease expired) is skipped and reported in `lost`.
 */
export async function completeRecords(db: Db, owner: string, completions: readonly Completion[], now = Date.now()): Promise<{ lost: string[] }> {
  const runner = scriptRunner(db);
  if (runner && completions.every(isPlainCompletion)) return completeByScript(runner, owner, completions, now);
  const lost: string[] = [];
  await db.transaction(async (tx) => {
    for (const completion of completions) {
      const id = completion.record.envelope.id;
      const finished = await finishRow(tx, owner, completion, now);
      if (!finished) {
        lost.push(id);
        continue;
      }
      await insertRun(tx, completion.run);
      if (completion.kind === 'done' && completion.children?.length) await insertRecords(tx, completion.children, now);
      if (completion.kind === 'done') for (const link of completion.links ?? []) await linkXref(tx, link, now);
      if (completion.kind === 'done' && completion.aggregate) await appendToAggregate(tx, completion.aggregate.append, id, completion.aggregate.item, now);
      if (completion.kind === 'retry') {
        const timer = timerStatement(completion);
        await tx.run(timer.sql, timer.params);
      }
      if (completion.kind === 'dead') await insertDeadLetter(tx, completion, now);
    }
  });
  return { lost };
}

/** Completions made only of statements known up front (no reads): these can run as a script. */
function isPlainCompletion(completion: Completion): boolean {
  return completion.kind !== 'done' || (!completion.children?.length && !completion.links?.length && !completion.aggregate);
}

/** The same transaction as `completeRecords`, as one script: each record's statements run only if its guarded update did. */
async function completeByScript(runner: ScriptRunner, owner: string, completions: readonly Completion[], now: number): Promise<{ lost: string[] }> {
  const steps: ScriptStep[] = [];
  const finishSteps: number[] = [];
  for (const completion of completions) {
    const finish = steps.push(finishStatement(owner, completion, now)) - 1;
    finishSteps.push(finish);
    steps.push({ ...runStatement(completion.run), onlyIf: finish });
    if (completion.kind === 'retry') steps.push({ ...timerStatement(completion), onlyIf: finish });
    if (completion.kind === 'dead') steps.push({ ...deadLetterStatement(completion, now), onlyIf: finish });
  }
  const results = await runner.runScript(steps);
  const lost = completions.filter((_, index) => results[finishSteps[index]!]!.changes !== 1).map((completion) => completion.record.envelope.id);
  return { lost };
}


async function finishRow(tx: Db, owner: string, completion: Completion, now: number): Promise<boolean> {
  const statement = finishStatement(owner, completion, now);
  return (await tx.run(statement.sql, statement.params)).changes === 1;
}


async function insertRun(tx: Db, run: RunEntry): Promise<void> {
  const statement = runStatement(run);
  await tx.run(statement.sql, statement.params);
}



async function insertDeadLetter(tx: Db, completion: Extract<Completion, { kind: 'dead' }>, now: number): Promise<void> {
  const statement = deadLetterStatement(completion, now);
  await tx.run(statement.sql, statement.params);
}

/** Queue depth per flow and state, read from the store so several workers report one truth. */
export async function queueDepth(db: Db): Promise<{ flow: string; state: RecordState; count: number }[]> {
  const rows = await db.all<{ flow: string; state: RecordState; count: number }>(
    `SELECT flow, state, COUNT(*) AS count FROM records WHERE state IN ('ready', 'leased', 'waiting', 'dead') GROUP BY flow, state`,
  );
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

export async function pendingCount(db: Db, flow: string): Promise<number> {
  const row = await db.get<{ count: number }>(`SELECT COUNT(*) AS count FROM records WHERE flow = ? AND state IN ${PENDING_STATES}`, [flow]);
  return Number(row?.count ?? 0);
}
