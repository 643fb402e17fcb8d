/**
 * Builds the statement that reads one page after a compound cursor. Rows are ordered by
 * (cursorColumn, idColumn) and the cursor holds both values of the last row read, so rows that
 * share a cursor value (a bulk update stamping one updated_at) are never skipped at a page edge.
 */
import { DatongError } from '../../sdk/index.ts';
import { Params, quoteIdentifier, type Dialect } from './identifiers.ts';
import type { SqlReadOptions } from './options.ts';
import type { Statement } from './statements.ts';

/** The cursor: JSON text of [cursor value, id value] of the last row of the previous page. */
export type CompoundCursor = [cursorValue: unknown, idValue: unknown];

export function encodeCursor(cursorValue: unknown, idValue: unknown): string {
  return JSON.stringify([plain(cursorValue), plain(idValue)]);
}

export function decodeCursor(cursor: string | null): CompoundCursor | null {
  if (cursor === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cursor);
  } catch {
    throw badCursor(cursor, 'not JSON');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw badCursor(cursor, 'expected [cursor value, id value]');
  return [parsed[0], parsed[1]];
}

export const MAX_PAGE = 100_000;

export function buildPageQuery(dialect: Dialect, options: SqlReadOptions, cursor: CompoundCursor | null, limit: number): Statement {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new DatongError('DT_CONFIG_INVALID', { params: { reason: `page limit must be an integer from 1 to ${MAX_PAGE}, got ${limit}` } });
  }
  const q = (name: string) => quoteIdentifier(dialect, name);
  const params = new Params(dialect);
  const c = q(options.cursorColumn);
  const id = q(options.idColumn);
  const conditions: string[] = [];
  let from: string;

  if (options.query !== undefined) {
    if (options.table !== undefined) throw invalid('give either query or table, not both');
    from = `(${bindCursorPlaceholders(options.query, params, cursor === null ? null : cursor[0])}) AS datong_page`;
  } else if (options.table !== undefined) {
    from = q(options.table);
    if (options.where) conditions.push(`(${options.where})`);
  } else {
    throw invalid('give query or table');
  }
  if (cursor !== null) {
    const [lastValue, lastId] = cursor;
    conditions.push(`(${c} > ${params.add(lastValue)} OR (${c} = ${params.add(lastValue)} AND ${id} > ${params.add(lastId)}))`);
  }
  let select = '*';
  if (options.query === undefined && options.columns?.length) {
    const columns = [...new Set([options.cursorColumn, options.idColumn, ...options.columns])];
    select = columns.map(q).join(', ');
  }
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  // One row more than asked tells whether another page follows. The limit is a checked integer.
  return { sql: `SELECT ${select} FROM ${from}${where} ORDER BY ${c}, ${id} LIMIT ${limit + 1}`, params: params.values };
}

/**
 * Replaces each `:cursor` in a workspace query with a placeholder bound to the last cursor value.
 * PostgreSQL reuses one numbered parameter for every occurrence so its type is inferred once.
 */
export function bindCursorPlaceholders(query: string, params: Params, value: unknown): string {
  let shared: string | undefined;
  return query.replace(/(?<![:\w]):cursor\b/g, () => {
    if (params.dialect === 'postgres') return (shared ??= params.add(value));
    return params.add(value);
  });
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value;
}

function badCursor(cursor: string, reason: string): DatongError {
  return new DatongError('DT_SQL_CURSOR', { params: { cursor: cursor.slice(0, 100), reason } });
}

function invalid(reason: string): DatongError {
  return new DatongError('DT_CONFIG_INVALID', { params: { reason: `SQL read options: ${reason}` } });
}
