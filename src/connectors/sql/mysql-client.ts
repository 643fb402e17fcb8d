import type { Pool, PoolConnection } from 'mysql2/promise';
import type { SqlClient, SqlResult, SqlSession } from './client.ts';
import { isConnectionLoss } from './errors.ts';
import type { ConnectionTarget } from './url.ts';

type MysqlTarget = Extract<ConnectionTarget, { dialect: 'mysql' }>;

export async function openMysqlClient(target: MysqlTarget, poolSize: number): Promise<SqlClient> {
  const mysql = await import('mysql2/promise');
  const pool = mysql.createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    database: target.database,
    connectionLimit: poolSize,
    connectTimeout: 10_000,
    charset: 'utf8mb4_unicode_ci',
    // Decimals and big integers as text (never floats); dates as the server's text.
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    // Affected rows must count changed rows, not matched ones: that is how an upsert blocked by
    // the version guard (0 rows) is told apart from one that changed the row (2 rows).
    flags: ['-FOUND_ROWS'],
  });
  return new MysqlClient(pool);
}

interface Runner {
  query(sql: string): Promise<[unknown, unknown]>;
  execute(sql: string, values: unknown[]): Promise<[unknown, unknown]>;
}

async function run(target: Runner, sql: string, params: readonly unknown[]): Promise<SqlResult> {
  // Values go through the binary protocol (server-side binding); statements without values
  // (SAVEPOINT, DDL) use the text protocol, which accepts every statement.
  const [result] = params.length === 0 ? await target.query(sql) : await target.execute(sql, params as unknown[]);
  if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], affected: result.length };
  return { rows: [], affected: (result as { affectedRows?: number }).affectedRows ?? 0 };
}

class MysqlClient implements SqlClient {
  readonly dialect = 'mysql' as const;
  constructor(private readonly pool: Pool) {}

  query(sql: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return run(this.pool as unknown as Runner, sql, params);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    const connection: PoolConnection = await this.pool.getConnection();
    let broken = false;
    try {
      await connection.query('START TRANSACTION');
      const result = await fn({ dialect: 'mysql', query: (sql, params = []) => run(connection as unknown as Runner, sql, params) });
      await connection.query('COMMIT');
      return result;
    } catch (error) {
      broken = isConnectionLoss('mysql', error);
      if (!broken) await connection.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      if (broken) connection.destroy();
      else connection.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
