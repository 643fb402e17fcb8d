/**
 * Group commit for triggers: records arriving in the same turn of the event loop (or while the
 * previous commit is in flight) are inserted in one transaction, so one fsync covers many
 * deliveries. `accept` resolves only after that transaction committed: only then may a trigger
 * acknowledge its sender.
 */
import type { Db } from '../store/db.ts';
import { commitNewRecords, type AcceptResult, type NewRecord } from '../store/queue.ts';
import type { ScriptRunner } from '../store/sqlite-db.ts';
import { failpoint } from './failpoints.ts';

interface Waiting {
  records: NewRecord[];
  resolve: (results: AcceptResult[]) => void;
  reject: (error: unknown) => void;
}

export class Acceptor {
  private queue: Waiting[] = [];
  private readonly committing = new Set<Promise<void>>();
  private scheduled = false;
  /**
   * A store that groups concurrent commits itself (SQLite's commit thread) gets each group at
   * once, even while an earlier one is in flight: it joins the store's next transaction instead
   * of waiting here for the previous one and missing that transaction.
   */
  private readonly pipelined: boolean;

  constructor(
    private readonly db: Db,
    private readonly options: { maxGroup?: number; onCommitted?: (records: NewRecord[]) => void } = {},
  ) {
    this.pipelined = typeof (db as Partial<ScriptRunner>).runScript === 'function';
  }

  accept(records: NewRecord[]): Promise<AcceptResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || (this.committing.size && !this.pipelined)) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const commit: Promise<void> = this.commit().finally(() => {
        this.committing.delete(commit);
        if (this.queue.length) this.schedule();
      });
      this.committing.add(commit);
    });
  }

  private async commit(): Promise<void> {
    const max = this.options.maxGroup ?? 1000;
    const group: Waiting[] = [];
    let count = 0;
    while (this.queue.length && count < max) {
      const next = this.queue.shift()!;
      group.push(next);
      count += next.records.length;
    }
    try {
      const records = group.flatMap((waiting) => waiting.records);
      const flat = await commitNewRecords(this.db, records);
      failpoint('after-commit-before-ack');
      this.options.onCommitted?.(records);
      let offset = 0;
      for (const waiting of group) {
        waiting.resolve(flat.slice(offset, offset + waiting.records.length));
        offset += waiting.records.length;
      }
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }

  /** Waits until everything handed in so far is committed (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.committing.size || this.queue.length || this.scheduled) {
      await (this.committing.size ? Promise.allSettled(this.committing) : new Promise((resolve) => setImmediate(resolve)));
    }
  }
}
