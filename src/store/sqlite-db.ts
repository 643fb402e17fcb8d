import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db, RunResult } from './db.ts';
import { CommitThread, threadError, type ScriptResult, type ScriptRunner, type ScriptStep } from './sqlite-commit-thread-client.ts';

export type { ScriptResult, ScriptRunner, ScriptStep } from './sqlite-commit-thread-client.ts';

export interface SqliteDbOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** FULL (default) survives power loss; NORMAL survives a process crash only. */
  synchronous?: 'FULL' | 'NORMAL';
  busyTimeoutMs?: number;
  /**
   * Run `runScript` transactions on a helper thread with its own connection (default true for
   * a file; ':memory:' cannot be shared and always writes on the calling thread).
   */
  commitThread?: boolean;
}

/**
 * better-sqlite3 is synchronous; an async transaction function could let another caller's
 * statement run inside it between two awaits. A lock serialises transactions and makes
 * statements outside a transaction wait for the running one.
 *
 * `runScript` (group commit, leases, completions) runs on a commit thread with a second connection,
 * so its fsync does not stall the event loop. Writes on the main connection wait (without
 * blocking) while a batch is out there, and a batch waits for a running transaction: the two
 * connections never contend for SQLite's write lock. Reads need not wait for the thread (WAL).
 */
export class SqliteDb implements Db, ScriptRunner {
  readonly dialect = 'sqlite' as const;
  readonly raw: Database.Database;
  private lock: Promise<void> = Promise.resolve();
  private locked = false;
  /** Settles when the batch out on the commit thread has committed or failed. */
  private threadScript: Promise<void> | undefined;
  private thread: CommitThread | undefined;
  private readonly queued: { steps: readonly ScriptStep[]; resolve: (results: ScriptResult[]) => void; reject: (error: Error) => void }[] = [];
  private pumpScheduled = false;
  private pumpQueued = false;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly options: SqliteDbOptions) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.raw = new Database(options.path);
    this.raw.pragma('journal_mode = WAL');
    this.raw.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10000}`);
    this.raw.pragma('foreign_keys = ON');
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.raw.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * True while the main connection may not write: a transaction runs, or a batch is out on the
   * commit thread. Callers loop `while (this.busy) await this.turn();` and then act with no await
   * in between, or two of them could both pass.
   */
  private get busy(): boolean {
    return this.locked || this.threadScript !== undefined;
  }

  private turn(): Promise<void> {
    return this.locked ? this.lock : (this.threadScript ?? Promise.resolve());
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    // Reads need not wait for the commit thread (WAL readers see the last commit).
    while (this.locked) await this.lock;
    return this.allNow<T>(sql, params);
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    while (this.locked) await this.lock;
    return this.getNow<T>(sql, params);
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    while (this.busy) await this.turn();
    return this.runNow(sql, params);
  }

  async exec(sql: string): Promise<void> {
    while (this.busy) await this.turn();
    this.raw.exec(sql);
  }

  allNow<T>(sql: string, params: readonly unknown[]): T[] {
    const statement = this.prepare(sql);
    return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
  }

  getNow<T>(sql: string, params: readonly unknown[]): T | undefined {
    const statement = this.prepare(sql);
    return (statement.reader ? statement.get(...params) : (statement.run(...params), undefined)) as T | undefined;
  }

  runNow(sql: string, params: readonly unknown[]): RunResult {
    const statement = this.prepare(sql);
    if (statement.reader) {
      // e.g. UPDATE … RETURNING: run it as a reader so the rows are consumed.
      return { changes: statement.all(...params).length };
    }
    return { changes: statement.run(...params).changes };
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    // No await between the check and taking the lock, or two callers could both take it.
    while (this.busy) await this.turn();
    let release!: () => void;
    this.locked = true;
    this.lock = new Promise((resolve) => (release = resolve));
    const tx = new SqliteTx(this);
    try {
      this.raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.raw.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.raw.inTransaction) this.raw.exec('ROLLBACK');
        throw error;
      }
    } finally {
      tx.closed = true;
      this.locked = false;
      release();
    }
  }

  /** A synchronous transaction: no awaits possible inside, so no lock juggling (the hot path). */
  async transactionSync<T>(fn: () => T): Promise<T> {
    while (this.busy) await this.turn();
    return this.raw.transaction(fn).immediate();
  }

  runScript(steps: readonly ScriptStep[]): Promise<ScriptResult[]> {
    const thread = this.commitThread();
    if (!thread) return this.transactionSync(() => this.runScriptNow(steps));
    return new Promise((resolve, reject) => {
      this.queued.push({ steps, resolve, reject });
      // An idle thread takes the script at once (after this tick, so scripts submitted
      // together still go together); a busy one takes it with the next group.
      if (this.threadScript || this.locked) this.schedulePump();
      else if (!this.pumpQueued) {
        this.pumpQueued = true;
        queueMicrotask(() => {
          this.pumpQueued = false;
          this.pump();
        });
      }
    });
  }

  /**
   * Sends every queued script to the thread as one transaction (one fsync for all of them),
   * once the thread is idle and no main-connection transaction runs. Scheduled with
   * setImmediate so that a transaction waiting for the thread gets its turn between two sends.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.queued.length === 0 || this.threadScript) return;
    if (this.locked) {
      void this.lock.then(() => this.schedulePump());
      return;
    }
    const thread = this.commitThread();
    const group = this.queued.splice(0, this.queued.length);
    if (!thread) {
      for (const script of group) this.transactionSync(() => this.runScriptNow(script.steps)).then(script.resolve, script.reject);
      return;
    }
    this.threadScript = thread
      .send(group.map((script) => script.steps))
      .then(
        (outcomes) =>
          outcomes.forEach((outcome, index) => {
            if (outcome.error) group[index]!.reject(threadError(outcome.error));
            else group[index]!.resolve(outcome.results!);
          }),
        (error: Error) => {
          for (const script of group) script.reject(error);
        },
      )
      .then(() => {
        this.threadScript = undefined;
        if (this.queued.length) this.schedulePump();
      });
  }

  /** The same semantics as the commit thread, on this connection (inside a transaction). */
  private runScriptNow(steps: readonly ScriptStep[]): ScriptResult[] {
    const results: ScriptResult[] = [];
    for (const step of steps) {
      if (step.onlyIf !== undefined && !(results[step.onlyIf]!.changes > 0)) {
        results.push({ changes: 0 });
        continue;
      }
      const statement = this.prepare(step.sql);
      if (statement.reader) {
        const rows = statement.all(...step.params);
        results.push({ changes: rows.length, rows });
      } else results.push({ changes: statement.run(...step.params).changes });
    }
    return results;
  }

  private commitThread(): CommitThread | undefined {
    if (this.thread) return this.thread;
    if (this.options.path === ':memory:' || this.options.commitThread === false || !this.raw.open) return undefined;
    const thread = new CommitThread({
      path: this.options.path,
      synchronous: this.options.synchronous ?? 'FULL',
      busyTimeoutMs: this.options.busyTimeoutMs ?? 10000,
      onFail: () => {
        if (this.thread !== thread) return;
        // Back to writing here: this connection checkpoints again.
        this.thread = undefined;
        if (this.raw.open) this.raw.pragma('wal_autocheckpoint = 1000');
      },
    });
    // The thread checkpoints the WAL; a checkpoint here would stall the event loop.
    this.raw.pragma('wal_autocheckpoint = 0');
    this.thread = thread;
    return thread;
  }

  async close(): Promise<void> {
    while (this.busy || this.queued.length) await (this.busy ? this.turn() : new Promise((resolve) => setImmediate(resolve)));
    const thread = this.thread;
    this.thread = undefined;
    if (thread) await thread.terminate();
    this.raw.close();
  }
}

class SqliteTx implements Db {
  readonly dialect = 'sqlite' as const;
  closed = false;
  constructor(private readonly db: SqliteDb) {}
  private check(): void {
    if (this.closed) throw new Error('transaction handle used after the transaction ended');
  }
  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.check();
    return this.db.allNow<T>(sql, params);
  }
  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    this.check();
    return this.db.getNow<T>(sql, params);
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    this.check();
    return this.db.runNow(sql, params);
  }
  async exec(sql: string): Promise<void> {
    this.check();
    this.db.raw.exec(sql);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {}
}
