/**
 * One small surface over the three drivers, so statements are built once per dialect and run
 * the same way everywhere. Drivers are imported on first use: a workspace that never opens a
 * MariaDB connection never loads mysql2.
 */
import type { Dialect } from './identifiers.ts';
import type { ConnectionTarget } from './url.ts';

export interface SqlResult {
  rows: Record<string, unknown>[];
  /** Rows inserted, updated or deleted (MySQL: 1 per insert, 2 per changed update, 0 when nothing changed). */
  affected: number;
}

export interface SqlSession {
  readonly dialect: Dialect;
  /** Runs one statement with bound values (placeholders as built by `Params`). */
  query(sql: string, params?: readonly unknown[]): Promise<SqlResult>;
}

export interface SqlClient extends SqlSession {
  /** Runs `fn` in a transaction on one connection; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openClient(target: ConnectionTarget, poolSize: number): Promise<SqlClient> {
  switch (target.dialect) {
    case 'sqlite':
      return (await import('./sqlite-client.ts')).openSqliteClient(target.path);
    case 'postgres':
      return (await import('./postgres-client.ts')).openPostgresClient(target.connectionString, poolSize);
    case 'mysql':
      return (await import('./mysql-client.ts')).openMysqlClient(target, poolSize);
  }
}
