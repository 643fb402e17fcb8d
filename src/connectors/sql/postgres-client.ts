import type { Pool, PoolClient } from 'pg';
import type { SqlClient, SqlResult, SqlSession } from './client.ts';
import { isConnectionLoss } from './errors.ts';

// Dates and times stay text: a JS Date would drop microseconds, and a cursor that lost them
// would re-read or skip rows. numeric and int8 are text already (decimals never become floats).
const TEXT_TYPES = new Set([1082, 1083, 1114, 1184, 1186, 1266]);

export async function openPostgresClient(connectionString: string, poolSize: number): Promise<SqlClient> {
  const { default: pg } = await import('pg');
  const types = {
    getTypeParser(oid: number, format?: string) {
      if (TEXT_TYPES.has(oid)) return (value: string) => value;
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({ connectionString, max: poolSize, types, connectionTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return new PostgresClient(pool);
}

interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
}

async function run(target: Queryable, sql: string, params: readonly unknown[]): Promise<SqlResult> {
  const result = await target.query(sql, params as unknown[]);
  return { rows: result.rows ?? [], affected: result.rowCount ?? 0 };
}

class PostgresClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  constructor(private readonly pool: Pool) {}

  query(sql: string, params: readonly unknown[] = []): Promise<SqlResult> {
    return run(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    let broken: unknown;
    // A checked-out client has no pool listener: without one, a dropped socket would crash the process.
    const onError = (error: Error) => (broken = error);
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await fn({ dialect: 'postgres', query: (sql, params = []) => run(client, sql, params) });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isConnectionLoss('postgres', error)) broken = error;
      else await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
      throw error;
    } finally {
      client.removeListener('error', onError);
      // A client whose connection broke is destroyed rather than returned to the pool.
      client.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
