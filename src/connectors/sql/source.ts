/**
 * The SQL query source: pages through a table or a workspace SELECT in (cursorColumn, idColumn)
 * order. A page is read in one statement; the cursor after it is the compound value of its last
 * row, so resuming with a saved cursor (even on a fresh process after kill -9) neither skips nor
 * repeats rows. Rows changed later get a greater cursor value and are read again then.
 */
import type { ReadPage, ReadRequest, SourceRecord } from '../../sdk/index.ts';
import type { SqlClient } from './client.ts';
import { toSqlError } from './errors.ts';
import type { SqlReadOptions } from './options.ts';
import { buildPageQuery, decodeCursor, encodeCursor } from './page-query.ts';

export interface SourceContext {
  system: string;
  client(): Promise<SqlClient>;
}

export async function readPage(context: SourceContext, request: ReadRequest, signal: AbortSignal): Promise<ReadPage> {
  signal.throwIfAborted();
  const options = request.options as unknown as SqlReadOptions;
  const client = await context.client();
  const statement = buildPageQuery(client.dialect, options, decodeCursor(request.cursor), request.limit);
  let rows: Record<string, unknown>[];
  try {
    rows = (await client.query(statement.sql, statement.params)).rows;
  } catch (error) {
    throw toSqlError(error, { dialect: client.dialect, system: context.system, table: options.table ?? 'query' });
  }
  signal.throwIfAborted();
  const hasMore = rows.length > request.limit;
  const page = hasMore ? rows.slice(0, request.limit) : rows;
  if (page.length === 0) return { records: [], cursor: request.cursor, hasMore: false };
  const records: SourceRecord[] = page.map((row) => {
    const version = row[options.cursorColumn];
    return {
      sourceId: String(row[options.idColumn]),
      ...(version === null || version === undefined ? {} : { version: String(version) }),
      payload: row,
    };
  });
  const last = page[page.length - 1];
  return { records, cursor: encodeCursor(last[options.cursorColumn], last[options.idColumn]), hasMore };
}
