/**
 * The SQL target. One transaction per batch. When an item breaks a constraint, the batch is
 * written again with one savepoint per item: the bad item is rolled back to its savepoint and
 * reported alone, the others commit together.
 * A lost connection, a deadlock or refused credentials fail the whole batch (thrown), and the
 * engine retries it; the idempotency ledger makes that retry safe.
 *
 * Per item, inside its savepoint:
 *   1. insert the idempotency key (+ version) into the ledger (datong_applied_writes); already there → unchanged/duplicate
 *   2. upsert the header; version guard blocked it → unchanged/stale (children untouched)
 *   3. per child table: upsert the item's lines, delete that parent's lines not in the new set
 */
import { DatongError, type WriteItem, type WriteOutcome, type WriteRequest } from '../../sdk/index.ts';
import type { SqlClient, SqlSession } from './client.ts';
import { classifySqlError, toSqlError } from './errors.ts';
import { buildChildDelete, buildLedgerInsert, buildUpsert } from './statements.ts';
import { itemRows, ledgerKey, planWrite, type WritePlan } from './write-plan.ts';

const YIELD_EVERY = 25;

export interface SinkContext {
  system: string;
  client(): Promise<SqlClient>;
  /** Creates the ledger table once per connector instance and table name. */
  ensureLedger(client: SqlClient, table: string): Promise<void>;
}

export async function writeBatch(context: SinkContext, request: WriteRequest, signal: AbortSignal): Promise<WriteOutcome[]> {
  signal.throwIfAborted();
  let plan: WritePlan;
  try {
    plan = planWrite(request.options);
  } catch (error) {
    // Bad options fail every item the same way, non-retryably; the batch itself is not at fault.
    const failure = error instanceof DatongError ? error : new DatongError('DT_CONFIG_INVALID', { params: { reason: String(error) } });
    return request.items.map((item) => ({ status: 'failed', error: failure.at({ recordId: item.recordId, system: context.system }) }));
  }
  if (request.items.length === 0) return [];
  const client = await context.client();
  const run = (write: (tx: SqlSession, item: WriteItem) => Promise<WriteOutcome>) =>
    client.transaction(async (tx) => {
      const outcomes: WriteOutcome[] = [];
      for (const [index, item] of request.items.entries()) {
        // SQLite answers without touching the event loop; yield now and then so an abort can land.
        if (index > 0 && index % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
        signal.throwIfAborted();
        outcomes.push(await write(tx, item));
      }
      return outcomes;
    });
  try {
    if (plan.idempotency) await context.ensureLedger(client, plan.ledgerTable);
    try {
      // Most batches have no bad item: write them without a savepoint per item (half the
      // statements). If one fails, the whole transaction rolls back and the batch runs again
      // with savepoints, so the bad item is reported alone and the others commit.
      return await run((tx, item) => writeItem(tx, plan, item, () => {}));
    } catch (error) {
      if (signal.aborted || !itemLevel(client.dialect, error)) throw error;
    }
    return await run((tx, item) => writeInSavepoint(tx, plan, item, context.system));
  } catch (error) {
    if (signal.aborted && error === signal.reason) throw error;
    throw toSqlError(error, { dialect: client.dialect, system: context.system, table: plan.table });
  }
}

/** A failure one item can cause (a constraint, a bad value), as opposed to one of the batch. */
function itemLevel(dialect: SqlSession['dialect'], error: unknown): boolean {
  if (error instanceof DatongError) return true;
  const kind = classifySqlError(dialect, error);
  return kind !== 'connection' && kind !== 'conflict' && kind !== 'auth';
}

async function writeInSavepoint(tx: SqlSession, plan: WritePlan, item: WriteItem, system: string): Promise<WriteOutcome> {
  await tx.query('SAVEPOINT datong_item');
  let table = plan.table;
  try {
    const outcome = await writeItem(tx, plan, item, (name) => (table = name));
    await tx.query('RELEASE SAVEPOINT datong_item');
    return outcome;
  } catch (error) {
    if (!(error instanceof DatongError)) {
      const kind = classifySqlError(tx.dialect, error);
      // These end the batch: the transaction is gone (MySQL deadlock) or the connection is.
      if (kind === 'connection' || kind === 'conflict' || kind === 'auth') throw error;
    }
    await tx.query('ROLLBACK TO SAVEPOINT datong_item');
    await tx.query('RELEASE SAVEPOINT datong_item');
    const failure = toSqlError(error, { dialect: tx.dialect, system, table });
    return { status: 'failed', error: failure.at({ recordId: item.recordId, system }) };
  }
}

async function writeItem(tx: SqlSession, plan: WritePlan, item: WriteItem, at: (table: string) => void): Promise<WriteOutcome> {
  const rows = itemRows(tx.dialect, plan, item);
  if (plan.idempotency) {
    at(plan.ledgerTable);
    const ledger = buildLedgerInsert(tx.dialect, ledgerKey(item.idempotencyKey, item.version), plan.ledgerTable);
    if ((await tx.query(ledger.sql, ledger.params)).affected === 0) {
      return { status: 'unchanged', targetId: rows.targetId, reason: 'duplicate' };
    }
  }
  at(plan.table);
  const upsert = buildUpsert(tx.dialect, { table: plan.table, row: rows.header, key: plan.key, version: plan.version });
  const result = await tx.query(upsert.sql, upsert.params);
  if (plan.version !== undefined && result.affected === 0) {
    return { status: 'unchanged', targetId: rows.targetId, reason: 'stale' };
  }
  for (const [index, child] of plan.children.entries()) {
    const lines = rows.children[index];
    if (lines === undefined) continue;
    at(child.table);
    for (const line of lines.rows) {
      const statement = buildUpsert(tx.dialect, { table: child.table, row: line, key: child.key });
      await tx.query(statement.sql, statement.params);
    }
    const cleanup = buildChildDelete(tx.dialect, {
      table: child.table,
      parent: lines.parent,
      key: child.key,
      keep: lines.rows.map((line) => child.key.map((k) => line[k])),
    });
    await tx.query(cleanup.sql, cleanup.params);
  }
  return { status: 'written', targetId: rows.targetId };
}
