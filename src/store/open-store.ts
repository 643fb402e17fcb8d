import { resolve } from 'node:path';
import { DatongError } from '../errors/datong-error.ts';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';

export interface OpenStoreOptions {
  /** `sqlite:<path>` (relative to baseDir), `sqlite::memory:`, or `postgres://…`. */
  url: string;
  baseDir?: string;
  /** SQLite only: FULL (default, survives power loss) or NORMAL. */
  synchronous?: 'FULL' | 'NORMAL';
}

/** Opens and migrates the store named by a URL; drivers load only for the store in use. */
export async function openStore(options: OpenStoreOptions): Promise<Db> {
  const { url } = options;
  let db: Db;
  if (url.startsWith('sqlite:')) {
    const { SqliteDb } = await import('./sqlite-db.ts');
    const path = url.slice('sqlite:'.length);
    db = new SqliteDb({ path: path === ':memory:' ? path : resolve(options.baseDir ?? '.', path), synchronous: options.synchronous });
  } else if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { PostgresDb } = await import('./postgres-db.ts');
    db = new PostgresDb({ url });
  } else {
    throw new DatongError('DT_STORE_URL', { params: { url: redactUrl(url) } });
  }
  await migrate(db);
  return db;
}

/** A URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
