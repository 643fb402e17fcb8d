/**
 * Turns a system's `url` (+ optional `password`) into what a driver needs. Pure: no I/O.
 *
 * - `sqlite:<path>`: the path resolves against the workspace folder; `sqlite::memory:` is private
 *   to one connector instance.
 * - `postgres://user:pass@host:5432/db` (also `postgresql://`).
 * - `mysql://user:pass@host:3306/db` or `mariadb://…`.
 * A `password` given separately (a secret) replaces the one in the URL.
 */
import { isAbsolute, resolve } from 'node:path';
import { DatongError } from '../../sdk/index.ts';

export type ConnectionTarget =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; connectionString: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password?: string; database: string };

export function parseSqlUrl(url: string, options: { baseDir: string; password?: string }): ConnectionTarget {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw invalid(url, 'sqlite: needs a file path');
    if (path === ':memory:') return { dialect: 'sqlite', path };
    return { dialect: 'sqlite', path: isAbsolute(path) ? path : resolve(options.baseDir, path) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid(url, 'not a URL');
  }
  if (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:') {
    if (options.password !== undefined) parsed.password = encodeURIComponent(options.password);
    return { dialect: 'postgres', connectionString: parsed.toString() };
  }
  if (parsed.protocol === 'mysql:' || parsed.protocol === 'mariadb:') {
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!database) throw invalid(url, 'the URL names no database');
    const password = options.password ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined);
    return {
      dialect: 'mysql',
      host: parsed.hostname || '127.0.0.1',
      port: parsed.port ? Number(parsed.port) : 3306,
      user: decodeURIComponent(parsed.username) || 'root',
      ...(password !== undefined ? { password } : {}),
      database,
    };
  }
  throw invalid(url, 'expected sqlite:, postgres:// or mysql:// / mariadb://');
}

/** The URL with any password masked, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

function invalid(url: string, reason: string): DatongError {
  return new DatongError('DT_CONFIG_INVALID', { params: { reason: `SQL url "${redactUrl(url)}": ${reason}` } });
}
