/** Finds rows by key: `SELECT … WHERE keyColumn IN (…)`, in chunks so no statement grows unbounded. */
import type { LookupRequest } from '../../sdk/index.ts';
import type { SqlClient } from './client.ts';
import { toSqlError } from './errors.ts';
import { Params, quoteIdentifier } from './identifiers.ts';
import type { SqlLookupOptions } from './options.ts';
import type { Statement } from './statements.ts';

const CHUNK = 500;

export function buildLookup(dialect: SqlClient['dialect'], options: SqlLookupOptions, keys: readonly string[]): Statement {
  const q = (name: string) => quoteIdentifier(dialect, name);
  const params = new Params(dialect);
  const select = options.columns?.length ? [...new Set([options.keyColumn, ...options.columns])].map(q).join(', ') : '*';
  const list = keys.map((key) => params.add(key)).join(', ');
  return { sql: `SELECT ${select} FROM ${q(options.table)} WHERE ${q(options.keyColumn)} IN (${list})`, params: params.values };
}

export async function lookupRows(
  context: { system: string; client(): Promise<SqlClient> },
  request: LookupRequest,
  signal: AbortSignal,
): Promise<Map<string, unknown>> {
  const options = request.options as unknown as SqlLookupOptions;
  const found = new Map<string, unknown>();
  const keys = [...new Set(request.keys)];
  if (keys.length === 0) return found;
  const client = await context.client();
  for (let start = 0; start < keys.length; start += CHUNK) {
    signal.throwIfAborted();
    const statement = buildLookup(client.dialect, options, keys.slice(start, start + CHUNK));
    let rows: Record<string, unknown>[];
    try {
      rows = (await client.query(statement.sql, statement.params)).rows;
    } catch (error) {
      throw toSqlError(error, { dialect: client.dialect, system: context.system, table: options.table });
    }
    for (const row of rows) {
      const key = String(row[options.keyColumn]);
      if (!found.has(key)) found.set(key, row);
    }
  }
  return found;
}
