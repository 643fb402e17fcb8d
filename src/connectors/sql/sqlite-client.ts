import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import type { SqlClient, SqlResult, SqlSession } from './client.ts';

/**
 * better-sqlite3 is synchronous and has one connection; an async transaction function could let
 * another caller's statement run between two of its awaits. Every top-level call therefore goes
 * through one queue. Inside `transaction`, use only the `tx` handle (the client itself would wait
 * for the transaction to end).
 */
export async function openSqliteClient(path: string): Promise<SqlClient> {
  const { default: Sqlite } = await import('better-sqlite3');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Sqlite(path);
  // Connection settings only: the journal mode of a database we do not own is left alone.
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  return new SqliteClient(db);
}

class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => {});
    return result;
  }

  run(sql: string, params: readonly unknown[]): SqlResult {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      if (this.statements.size > 200) this.statements.clear();
      this.statements.set(sql, statement);
    }
    if (statement.reader) {
      const rows = statement.all(...params) as Record<string, unknown>[];
      return { rows, affected: rows.length };
    }
    return { rows: [], affected: statement.run(...params).changes };
  }

  query(sql: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return this.serial(async () => this.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const tx: SqlSession = { dialect: 'sqlite', query: async (sql, params = []) => this.run(sql, params) };
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      if (this.db.open) this.db.close();
    });
  }
}
