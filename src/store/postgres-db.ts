import pg from 'pg';
import type { Db, RunResult } from './db.ts';

// int8 (counts, epoch-ms timestamps) as JS numbers: they stay far below 2^53.
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === 20) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

/** Rewrites `?` placeholders to `$1…$n`. Store SQL never has `?` inside literals. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

class PgHandle implements Db {
  readonly dialect = 'postgres' as const;
  private readonly texts = new Map<string, string>();
  constructor(protected readonly client: Queryable) {}

  private text(sql: string): string {
    let text = this.texts.get(sql);
    if (text === undefined) {
      text = numberPlaceholders(sql);
      this.texts.set(sql, text);
    }
    return text;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.query(this.text(sql), params as unknown[])).rows as T[];
  }
  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.client.query(this.text(sql), params as unknown[])).rows[0] as T | undefined;
  }
  async run(sql: string, params: readonly unknown[] = []): Promise<RunResult> {
    const result = await this.client.query(this.text(sql), params as unknown[]);
    return { changes: result.rowCount ?? 0 };
  }
  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  async close(): Promise<void> {}
}

export class PostgresDb extends PgHandle {
  private readonly pool: pg.Pool;

  constructor(options: { url: string; max?: number }) {
    const pool = new pg.Pool({ connectionString: options.url, max: options.max ?? 10, types });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on('error', () => {});
    super(pool);
    this.pool = pool;
  }

  override async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgHandle(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  override async close(): Promise<void> {
    await this.pool.end();
  }
}
