/**
 * A minimal SQL surface the store is written against, implemented for SQLite (better-sqlite3)
 * and PostgreSQL (pg). SQL uses `?` placeholders; the PostgreSQL adapter numbers them.
 * Timestamps are integers (epoch ms), JSON is TEXT, booleans are 0/1, so one SQL text serves
 * both dialects except where `dialect` is checked.
 */
export type Dialect = 'sqlite' | 'postgres';

export interface RunResult {
  changes: number;
}

export interface Db {
  readonly dialect: Dialect;
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<RunResult>;
  /** Runs statements that take no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * On SQLite the transaction takes the write lock at its start (BEGIN IMMEDIATE).
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
