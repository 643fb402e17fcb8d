/**
 * Fresh, migrated stores for tests that must pass on every store dialect (the store suite,
 * audit, tokens, secrets). SQLite gets a temp file; PostgreSQL gets a private schema
 * `t_<random>` on the shared test database, selected through `search_path` in the URL, so
 * parallel test files never see each other's tables. `cleanup()` closes and deletes it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Db } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { PostgresDb } from '../../src/store/postgres-db.ts';
import { SqliteDb } from '../../src/store/sqlite-db.ts';
import { requireService, SERVICES } from './services.ts';

export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

export interface TestDb {
  db: Db;
  /** A store URL for the same store: `sqlite:<path>` or `postgres://…?options=…search_path…`. */
  url: string;
  /**
   * Opens another handle on the same store (e.g. to play a second hub process). On SQLite
   * only for reads or sequential use: its transactions take the file lock synchronously, so
   * two handles in one process with interleaved transactions block each other.
   */
  open(): Db;
  cleanup(): Promise<void>;
}

/**
 * Resolves to null when PostgreSQL is not reachable outside CI (requireService has already
 * warned loudly); under CI=true a missing PostgreSQL makes this throw.
 */
export async function openTestDb(kind: StoreKind): Promise<TestDb | null> {
  return kind === 'sqlite' ? openSqlite() : openPostgres();
}

async function openSqlite(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'datong-store-'));
  const path = join(dir, 'store.db');
  const db = new SqliteDb({ path, synchronous: 'NORMAL' });
  await migrate(db);
  const extra: Db[] = [];
  return {
    db,
    url: `sqlite:${path}`,
    open() {
      const handle = new SqliteDb({ path, synchronous: 'NORMAL' });
      extra.push(handle);
      return handle;
    },
    async cleanup() {
      for (const handle of [db, ...extra]) await handle.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<TestDb | null> {
  if (!(await requireService('postgres'))) return null;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const base = SERVICES.postgres.url;
  const url = `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const db = new PostgresDb({ url, max: 5 });
  await migrate(db);
  const extra: Db[] = [];
  return {
    db,
    url,
    open() {
      const handle = new PostgresDb({ url, max: 5 });
      extra.push(handle);
      return handle;
    },
    async cleanup() {
      for (const handle of [db, ...extra]) await handle.close().catch(() => {});
      const client = new pg.Client({ connectionString: SERVICES.postgres.url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
