/**
 * Gathers the write items that records of one leased batch send to the same target step within
 * one turn of the event loop, and hands them to the connector as one `write` call (so a SQL
 * target commits many rows per transaction, an HTTP target runs them concurrently).
 */
import { DatongError, toDatongError } from '../errors/datong-error.ts';
import type { WriteItem, WriteOutcome } from '../sdk/connector.ts';
import type { LiveConnector } from './connector-pool.ts';
import type { Hooks } from './hooks.ts';
import { failpoint } from './failpoints.ts';

interface Pending {
  item: WriteItem;
  resolve: (outcome: WriteOutcome) => void;
}

export class WriteBatcher {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly target: LiveConnector,
    private readonly options: { flow: string; step: string; writeOptions: Record<string, unknown>; maxBatch: number; signal: AbortSignal; hooks: Hooks },
  ) {}

  submit(item: WriteItem): Promise<WriteOutcome> {
    return new Promise((resolve) => {
      this.pending.push({ item, resolve });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length) void this.send(batch);
  }

  private async send(batch: Pending[]): Promise<void> {
    const { flow, step, hooks, signal } = this.options;
    const started = performance.now();
    hooks.emit('beforeWrite', { flow, system: this.target.systemId, step, items: batch.length });
    let outcomes: WriteOutcome[];
    failpoint('inside-batch');
    try {
      const write = this.target.connector.write;
      if (!write) throw new DatongError('DT_CONFIG_INVALID', { params: { reason: `system ${this.target.systemId} cannot be written to` } });
      outcomes = await this.target.limiter.run(
        () => write.call(this.target.connector, { options: this.options.writeOptions, items: batch.map((pending) => pending.item) }, signal),
        signal,
      );
      if (outcomes.length !== batch.length) {
        throw new DatongError('DT_RUNTIME_INTERNAL', { params: { reason: `connector ${this.target.spec.type} returned ${outcomes.length} outcomes for ${batch.length} items` } });
      }
    } catch (error) {
      const failure = toDatongError(error, { system: this.target.systemId, step });
      outcomes = batch.map(() => ({ status: 'failed', error: failure }));
    }
    hooks.emit('afterWrite', { flow, system: this.target.systemId, step, outcomes, ms: performance.now() - started });
    batch.forEach((pending, index) => pending.resolve(outcomes[index]));
  }
}
