/**
 * Leases due timers and acts on them: retry back-offs end (record ready again), aggregate
 * groups time out, cron flows fire (and read their source, page by page, committing records and
 * cursor together). Also returns expired record leases to the queue.
 */
import { setMaxListeners } from 'node:events';
import { toDatongError } from '../errors/datong-error.ts';
import type { Logger } from '../sdk/logger.ts';
import { flushAggregate, type AggregateAppend } from '../store/aggregates.ts';
import { getCursor, setCursor } from '../store/cursors.ts';
import type { Db } from '../store/db.ts';
import { insertRecords, releaseExpiredLeases, type NewRecord } from '../store/queue.ts';
import { latestSnapshot } from '../store/snapshots.ts';
import { deleteTimer, fireRetryTimer, leaseDueTimers, retryTimerAt, upsertTimer, type TimerRow } from '../store/timers.ts';
import type { ScheduleTriggerSpec } from '../workspace/schema.ts';
import type { ConnectorPool } from './connector-pool.ts';
import { firesFor } from './schedules.ts';

/** A timer whose handling failed is tried again after this long (its lease would be 5 minutes). */
export const FAILED_TIMER_RETRY_MS = 5_000;

export interface TimerLoopOptions {
  db: Db;
  owner: string;
  pool: ConnectorPool;
  logger: Logger;
  /** Something became ready to lease. */
  onReady: () => void;
  onAccepted: (flow: string, count: number) => void;
  pollMs?: number;
}

export class TimerLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: TimerLoopOptions) {
    setMaxListeners(0, this.abort.signal);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = undefined;
        this.schedule(this.options.pollMs ?? 250);
      });
    }, ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort(new Error('hub stopping'));
    await this.running;
  }

  /** One pass; exposed for tests. */
  async tick(now = Date.now()): Promise<void> {
    const { db, logger } = this.options;
    try {
      if ((await releaseExpiredLeases(db, now)) > 0) this.options.onReady();
      const timers = await leaseDueTimers(db, { owner: this.options.owner, limit: 100, leaseMs: 300_000, now });
      for (const timer of timers) {
        try {
          await this.fire(timer, now);
        } catch (error) {
          logger.error({ err: toDatongError(error).toJSON(), timer: timer.id, retryInMs: FAILED_TIMER_RETRY_MS }, 'timer failed; it runs again shortly');
          await retryTimerAt(db, { id: timer.id, owner: this.options.owner, at: Date.now() + FAILED_TIMER_RETRY_MS }).catch(() => {
            // The store is failing too: the lease running out brings the timer back instead.
          });
        }
      }
    } catch (error) {
      logger.error({ err: toDatongError(error).toJSON() }, 'timer pass failed');
    }
  }

  private async fire(timer: TimerRow, now: number): Promise<void> {
    const { db } = this.options;
    switch (timer.kind) {
      case 'retry':
        await db.transaction((tx) => fireRetryTimer(tx, timer));
        this.options.onReady();
        return;
      case 'aggregate':
        await db.transaction((tx) => flushAggregate(tx, JSON.parse(timer.data!) as AggregateAppend));
        this.options.onReady();
        return;
      case 'cron':
        await this.fireCron(timer, now);
        return;
      default:
        await deleteTimer(db, timer.id);
    }
  }

  private async fireCron(timer: TimerRow, now: number): Promise<void> {
    const { db } = this.options;
    const snapshot = await latestSnapshot(db);
    const flow = snapshot?.workspace.flows[timer.ref];
    if (!snapshot || !flow || flow.enabled === false || flow.trigger.type !== 'schedule') {
      await deleteTimer(db, timer.id);
      return;
    }
    const trigger = flow.trigger as ScheduleTriggerSpec;
    const zone = snapshot.workspace.file.timezone ?? 'Asia/Shanghai';
    const { fires, next } = firesFor(timer, trigger, zone, now);
    let accepted = 0;
    for (const scheduledFor of fires) {
      accepted += trigger.read
        ? await this.readSource(timer.ref, snapshot.id, snapshot.workspace, trigger)
        : await this.insert(timer.ref, [
            {
              flow: timer.ref,
              snapshot: snapshot.id,
              sourceSystem: 'schedule',
              sourceId: new Date(scheduledFor).toISOString(),
              deliveryId: `cron:${scheduledFor}`,
              payload: { scheduledFor: new Date(scheduledFor).toISOString(), firedAt: new Date(now).toISOString() },
            },
          ]);
    }
    if (next === undefined) await deleteTimer(db, timer.id);
    else await upsertTimer(db, { id: timer.id, kind: 'cron', dueAt: next, ref: timer.ref, data: JSON.parse(timer.data ?? 'null') ?? undefined });
    if (accepted) this.options.onReady();
  }

  private async insert(flow: string, records: NewRecord[], cursor?: { name: string; value: string | null }): Promise<number> {
    const results = await this.options.db.transaction(async (tx) => {
      const inserted = await insertRecords(tx, records);
      if (cursor) await setCursor(tx, cursor.name, cursor.value);
      return inserted;
    });
    const fresh = results.filter((result) => !result.duplicate).length;
    if (fresh) this.options.onAccepted(flow, fresh);
    return fresh;
  }

  /** Reads the flow's source from its durable cursor, one page per transaction (records + cursor). */
  private async readSource(flow: string, snapshotId: number, workspace: Parameters<ConnectorPool['get']>[0], trigger: ScheduleTriggerSpec): Promise<number> {
    const read = trigger.read!;
    const live = this.options.pool.get(workspace, read.system);
    const cursorName = `flow:${flow}`;
    let cursor = await getCursor(this.options.db, cursorName);
    let total = 0;
    for (let page = 0; page < (read.maxPages ?? 100); page++) {
      const result = await live.limiter.run(
        () => live.connector.read!({ options: read.options, cursor, limit: read.pageSize ?? 500 }, this.abort.signal),
        this.abort.signal,
      );
      const records: NewRecord[] = result.records.map((record) => ({
        flow,
        snapshot: snapshotId,
        sourceSystem: read.system,
        sourceId: record.sourceId,
        key: record.key,
        version: record.version,
        deliveryId: record.version !== undefined ? `read:${record.sourceId}:${record.version}` : undefined,
        payload: record.payload,
      }));
      total += await this.insert(flow, records, { name: cursorName, value: result.cursor });
      cursor = result.cursor;
      if (!result.hasMore) break;
    }
    return total;
  }
}
