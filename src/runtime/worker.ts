/**
 * The worker loop: lease a batch of ready records, run them through their flow plans
 * concurrently (writes to one target gathered into one connector call), commit all completions
 * in one transaction. Several batches may be in flight. Any number of workers, in one process or
 * many sharing a PostgreSQL store, can run at once: leases keep them apart, and a dead worker's
 * leases expire and are taken over.
 */
import { setMaxListeners } from 'node:events';
import { toDatongError } from '../errors/datong-error.ts';
import type { Logger } from '../sdk/logger.ts';
import type { Db } from '../store/db.ts';
import { completeRecords, leaseRecords, renewLeases, type Completion } from '../store/queue.ts';
import type { LeasedRecord } from '../store/rows.ts';
import type { ConnectorPool } from './connector-pool.ts';
import { failpoint } from './failpoints.ts';
import type { FlowPlan } from './flow-plan.ts';
import type { Hooks } from './hooks.ts';
import type { PlanCache } from './plan-cache.ts';
import { processRecord } from './process-record.ts';
import { WriteBatcher } from './write-batcher.ts';

export interface WorkerOptions {
  db: Db;
  id: string;
  plans: PlanCache;
  pool: ConnectorPool;
  hooks: Hooks;
  logger: Logger;
  batchSize?: number;
  maxBatchesInFlight?: number;
  leaseMs?: number;
  idlePollMs?: number;
  traceOutputs?: boolean;
}

export class Worker {
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private wakeUp: (() => void) | undefined;
  private loopDone: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly batchSize: number;
  private readonly maxBatches: number;
  private readonly leaseMs: number;
  private readonly idlePollMs: number;

  constructor(private readonly options: WorkerOptions) {
    // Every in-flight write listens on this one signal; hundreds at once are expected.
    setMaxListeners(0, this.abort.signal);
    this.batchSize = options.batchSize ?? 200;
    this.maxBatches = options.maxBatchesInFlight ?? 2;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.idlePollMs = options.idlePollMs ?? 250;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** New work may be ready (a trigger committed records). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops leasing, lets in-flight batches finish (or aborts them after `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    const timer = setTimeout(() => this.abort.abort(new Error('shutdown grace period over')), graceMs);
    await Promise.allSettled([...this.inFlight]);
    clearTimeout(timer);
  }

  private async loop(): Promise<void> {
    let idleMs = 5;
    while (this.running) {
      if (this.inFlight.size >= this.maxBatches) {
        await Promise.race(this.inFlight);
        continue;
      }
      let records: LeasedRecord[] = [];
      try {
        records = await leaseRecords(this.options.db, { owner: this.options.id, limit: this.batchSize, leaseMs: this.leaseMs });
      } catch (error) {
        this.options.logger.error({ err: toDatongError(error).toJSON() }, 'leasing records failed; retrying');
      }
      if (records.length === 0) {
        await this.sleep(idleMs);
        idleMs = Math.min(this.idlePollMs, idleMs * 2);
        continue;
      }
      idleMs = 5;
      failpoint('after-lease');
      const batch = this.runBatch(records).finally(() => this.inFlight.delete(batch));
      this.inFlight.add(batch);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /**
   * Runs a batch while a heartbeat renews its leases (every third of the lease), so a slow
   * target never lets another worker take over a live worker's records and send them again.
   * Only a dead (or frozen) worker's leases expire. The heartbeat stops, and its last renewal
   * has finished, before the completions commit: on PostgreSQL a renewal running beside the
   * completion transaction would lock the same rows in another order and deadlock.
   */
  private async runBatch(records: LeasedRecord[]): Promise<void> {
    const ids = records.map((record) => record.envelope.id);
    let renewing: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(() => {
      renewing = renewing
        .then(() => renewLeases(this.options.db, this.options.id, ids, this.leaseMs))
        .then(
          () => undefined,
          (error: unknown) => this.options.logger.warn({ err: toDatongError(error).toJSON() }, 'renewing leases failed; if they expire, another worker runs those records again'),
        );
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    let completions: Completion[];
    try {
      completions = await this.processBatch(records);
    } finally {
      clearInterval(heartbeat);
      await renewing;
    }
    failpoint('after-write-before-done');
    await this.complete(completions);
  }

  private async processBatch(records: LeasedRecord[]): Promise<Completion[]> {
    const batchers = new Map<string, WriteBatcher>();
    const batcher = (plan: FlowPlan, stepId: string): WriteBatcher => {
      const key = `${plan.snapshot}:${plan.id}:${stepId}`;
      let found = batchers.get(key);
      if (!found) {
        const write = plan.writes.get(stepId)!;
        found = new WriteBatcher(this.options.pool.get(plan.workspace, write.system), {
          flow: plan.id,
          step: stepId,
          writeOptions: write.options,
          maxBatch: this.batchSize,
          signal: this.abort.signal,
          hooks: this.options.hooks,
        });
        batchers.set(key, found);
      }
      return found;
    };
    const completions = await Promise.all(
      records.map(async (record): Promise<Completion> => {
        try {
          const plan = await this.options.plans.plan(record.envelope.snapshot, record.envelope.flow);
          return await processRecord(plan, record, {
            worker: this.options.id,
            hooks: this.options.hooks,
            signal: this.abort.signal,
            batcher,
            traceOutputs: this.options.traceOutputs,
          });
        } catch (error) {
          // Only plan compilation can get here (a broken snapshot): retry later, it may be fixed.
          const failure = toDatongError(error, { flow: record.envelope.flow, recordId: record.envelope.id });
          this.options.logger.error({ err: failure.toJSON() }, 'cannot plan record');
          const now = Date.now();
          return {
            kind: 'retry',
            record,
            dueAt: now + 30_000,
            error: failure.toJSON(),
            doneTargets: record.doneTargets,
            run: { recordId: record.envelope.id, flow: record.envelope.flow, attempt: record.attempts, worker: this.options.id, startedAt: now, finishedAt: now, outcome: 'retry', errorCode: failure.code, hops: [] },
          };
        }
      }),
    );
    return completions;
  }

  private async complete(completions: Completion[]): Promise<void> {
    try {
      const { lost } = await completeRecords(this.options.db, this.options.id, completions);
      if (lost.length) this.options.logger.warn({ count: lost.length }, 'leases lost before completion; another worker re-runs those records');
      const lostSet = new Set(lost);
      for (const completion of completions) {
        if (lostSet.has(completion.record.envelope.id) || completion.kind !== 'done') continue;
        const outcome = completion.run.outcome === 'filtered' ? 'filtered' : completion.run.outcome === 'split' ? 'split' : 'done';
        this.options.hooks.emit('done', { envelope: completion.record.envelope, outcome });
      }
    } catch (error) {
      this.options.logger.error({ err: toDatongError(error).toJSON() }, 'committing completions failed; completing one by one');
      if (completions.length > 1) {
        for (const completion of completions) await this.complete([completion]);
        return;
      }
      await this.completeAsDead(completions[0], error);
    }
  }

  /**
   * A completion that cannot be committed on its own (e.g. its trace cannot be stored) would
   * otherwise run again and again; record it as a dead letter with a minimal trace instead.
   * If even that fails the lease stays and expires: the store itself is failing.
   */
  private async completeAsDead(completion: Completion, cause: unknown): Promise<void> {
    const failure = toDatongError(cause, { flow: completion.record.envelope.flow, recordId: completion.record.envelope.id });
    const run = { ...completion.run, outcome: 'dead' as const, errorCode: failure.code, hops: [] };
    try {
      await completeRecords(this.options.db, this.options.id, [{ kind: 'dead', record: completion.record, run, error: failure.toJSON(), reason: 'error', holdKey: false }]);
      this.options.hooks.emit('deadLettered', { envelope: completion.record.envelope, error: failure });
    } catch (error) {
      this.options.logger.error({ err: toDatongError(error).toJSON() }, 'cannot record a completion; the lease will expire and the record runs again');
    }
  }
}
