import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Db, RunResult } from './db.ts';

export interface SqliteDbOptions {
  /** File path, or ':memory:'. */
  path: string;
  /** FULL (default) survives power loss; NORMAL survives a process crash only. */
  synchronous?: 'FULL' | 'NORMAL';
  busyTimeoutMs?: number;
}

/**
 * better-sqlite3 is synchronous; an async transaction function could let another caller's
 * statement run inside it between two awaits. A lock serialises transactions and makes
 * statements outside a transaction wait for the running one.
 */
export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  readonly raw: Database.Database;
  private lock: Promise<void> = Promise.resolve();
  private locked = false;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(options: SqliteDbOptions) {
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

  private async idle(): Promise<void> {
    while (this.locked) await this.lock;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    await this.idle();
    return this.allNow<T>(sql, params);
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    await this.idle();
    return this.getNow<T>(sql, params);
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    await this.idle();
    return this.runNow(sql, params);
  }

  async exec(sql: string): Promise<void> {
    await this.idle();
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
    while (this.locked) await this.lock;
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
    while (this.locked) await this.lock;
    return this.raw.transaction(fn).immediate();
  }

  async close(): Promise<void> {
    await this.idle();
    this.raw.close();
  }
}

/** The handle a transaction function gets: runs statements directly, inside the open transaction. */
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
