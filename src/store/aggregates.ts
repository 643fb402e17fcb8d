/**
 * Durable aggregation: records of one group are collected in the store, inside the transaction
 * that finishes each record, keyed by record id (so a re-processed record is not counted twice).
 * A full group, or one whose timeout timer fires, becomes one new record that continues the flow
 * at the step after the aggregate.
 */
import type { Db } from './db.ts';
import { insertRecords, type NewRecord } from './queue.ts';
import { deleteTimer, upsertTimer } from './timers.ts';

export interface AggregateAppend {
  flow: string;
  step: string;
  groupKey: string;
  size: number;
  timeoutMs?: number;
  into: string;
  /** The emitted record: everything but its payload and start step. */
  emit: Omit<NewRecord, 'payload' | 'startStep' | 'sourceId' | 'deliveryId'>;
  nextStep: number;
}

const timerId = (a: { flow: string; step: string; groupKey: string }) => `agg:${a.flow}:${a.step}:${a.groupKey}`;

export async function appendToAggregate(tx: Db, append: AggregateAppend, recordId: string, item: unknown, now = Date.now()): Promise<void> {
  const row = await tx.get<{ items: string; first_at: number }>('SELECT items, first_at FROM aggregates WHERE flow = ? AND step = ? AND group_key = ?', [
    append.flow,
    append.step,
    append.groupKey,
  ]);
  const items: Record<string, unknown> = row ? JSON.parse(row.items) : {};
  items[recordId] = item;
  const count = Object.keys(items).length;
  if (count >= append.size) {
    await emitGroup(tx, append, items, row ? Number(row.first_at) : now);
    return;
  }
  if (row) {
    await tx.run('UPDATE aggregates SET items = ?, count = ? WHERE flow = ? AND step = ? AND group_key = ?', [JSON.stringify(items), count, append.flow, append.step, append.groupKey]);
  } else {
    await tx.run('INSERT INTO aggregates (flow, step, group_key, items, count, first_at) VALUES (?, ?, ?, ?, ?, ?)', [
      append.flow,
      append.step,
      append.groupKey,
      JSON.stringify(items),
      count,
      now,
    ]);
    if (append.timeoutMs) await upsertTimer(tx, { id: timerId(append), kind: 'aggregate', dueAt: now + append.timeoutMs, ref: append.flow, data: append });
  }
}

async function emitGroup(tx: Db, append: AggregateAppend, items: Record<string, unknown>, firstAt: number): Promise<void> {
  const sourceId = `${append.groupKey}@${firstAt}`;
  await insertRecords(tx, [
    {
      ...append.emit,
      sourceId,
      key: append.groupKey,
      deliveryId: `agg:${append.step}:${sourceId}`,
      startStep: append.nextStep,
      payload: { groupKey: append.groupKey, [append.into]: Object.values(items) },
    },
  ]);
  await tx.run('DELETE FROM aggregates WHERE flow = ? AND step = ? AND group_key = ?', [append.flow, append.step, append.groupKey]);
  await deleteTimer(tx, timerId(append));
}

/** Emits an incomplete group whose timeout passed (called for a due `aggregate` timer). */
export async function flushAggregate(tx: Db, append: AggregateAppend): Promise<void> {
  const row = await tx.get<{ items: string; first_at: number }>('SELECT items, first_at FROM aggregates WHERE flow = ? AND step = ? AND group_key = ?', [
    append.flow,
    append.step,
    append.groupKey,
  ]);
  if (row) await emitGroup(tx, append, JSON.parse(row.items), Number(row.first_at));
  else await deleteTimer(tx, timerId(append));
}
