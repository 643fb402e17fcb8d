import { describe, expect, it } from 'vitest';
import { DatongError } from '../../sdk/index.ts';
import { Params } from './identifiers.ts';
import { bindCursorPlaceholders, buildPageQuery, decodeCursor, encodeCursor } from './page-query.ts';

describe('compound cursor', () => {
  it('round-trips both values as JSON text', () => {
    const cursor = encodeCursor('2026-11-22 08:00:00.000001+08', 42);
    expect(cursor).toBe('["2026-11-22 08:00:00.000001+08",42]');
    expect(decodeCursor(cursor)).toEqual(['2026-11-22 08:00:00.000001+08', 42]);
    expect(decodeCursor(null)).toBeNull();
    expect(encodeCursor(10n, 'A-1')).toBe('["10","A-1"]');
  });

  it.each(['2026-11-22', '{"a":1}', '[1]', 'not json'])('rejects a foreign cursor %j with DT_SQL_CURSOR', (cursor) => {
    try {
      decodeCursor(cursor);
      expect.unreachable();
    } catch (error) {
      expect((error as DatongError).code).toBe('DT_SQL_CURSOR');
      expect((error as DatongError).retryable).toBe(false);
    }
  });
});

describe('page statements', () => {
  const options = { table: 'materials', cursorColumn: 'updated_at', idColumn: 'id' };

  it('from the start: order by (cursor, id), one row more than the limit', () => {
    expect(buildPageQuery('sqlite', options, null, 100)).toEqual({ sql: 'SELECT * FROM "materials" ORDER BY "updated_at", "id" LIMIT 101', params: [] });
  });

  it('after a cursor: strictly after (value, id), so equal values are not skipped', () => {
    const statement = buildPageQuery('postgres', { ...options, where: "status = 'approved'", columns: ['name'] }, ['2026-11-22', 7], 50);
    expect(statement.sql).toBe(
      'SELECT "updated_at", "id", "name" FROM "materials" WHERE (status = \'approved\') AND ("updated_at" > $1 OR ("updated_at" = $2 AND "id" > $3)) ORDER BY "updated_at", "id" LIMIT 51',
    );
    expect(statement.params).toEqual(['2026-11-22', '2026-11-22', 7]);
  });

  it('wraps a workspace query and binds :cursor', () => {
    const query = 'SELECT id, updated_at FROM materials WHERE (:cursor IS NULL OR updated_at >= :cursor)';
    const statement = buildPageQuery('mysql', { query, cursorColumn: 'updated_at', idColumn: 'id' }, ['2026-11-22 08:00:00', 3], 10);
    expect(statement.sql).toBe(
      'SELECT * FROM (SELECT id, updated_at FROM materials WHERE (? IS NULL OR updated_at >= ?)) AS datong_page WHERE (`updated_at` > ? OR (`updated_at` = ? AND `id` > ?)) ORDER BY `updated_at`, `id` LIMIT 11',
    );
    expect(statement.params).toEqual(['2026-11-22 08:00:00', '2026-11-22 08:00:00', '2026-11-22 08:00:00', '2026-11-22 08:00:00', 3]);
  });

  it('PostgreSQL reuses one parameter for every :cursor, and leaves ::casts alone', () => {
    const params = new Params('postgres');
    const text = bindCursorPlaceholders("SELECT * FROM t WHERE (u >= :cursor OR :cursor IS NULL) AND x::text <> ':cursors'", params, null);
    expect(text).toBe("SELECT * FROM t WHERE (u >= $1 OR $1 IS NULL) AND x::text <> ':cursors'");
    expect(params.values).toEqual([null]);
  });

  it('checks identifiers and the limit', () => {
    expect(() => buildPageQuery('sqlite', { ...options, table: 'x; DROP TABLE y' }, null, 10)).toThrow(/Invalid SQL identifier/);
    expect(() => buildPageQuery('sqlite', { ...options, idColumn: 'id) OR (1=1' }, null, 10)).toThrow(/Invalid SQL identifier/);
    expect(() => buildPageQuery('sqlite', options, null, 0)).toThrow(/page limit/);
    expect(() => buildPageQuery('sqlite', options, null, 2.5)).toThrow(/page limit/);
    expect(() => buildPageQuery('sqlite', { ...options, query: 'SELECT 1' }, null, 10)).toThrow(/either query or table/);
    expect(() => buildPageQuery('sqlite', { cursorColumn: 'u', idColumn: 'id' }, null, 10)).toThrow(/give query or table/);
  });
});
