/**
 * The SQL source, lookup, discovery and check against real databases. Tables: sr_<dialect>_<run tag>_*.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import type { Connector } from '../../sdk/index.ts';
import { dropTables, types } from './testing/harness.ts';
import { DIALECTS, openTestDb, RUN_TAG, type TestDb } from './testing/test-db.ts';

const signal = new AbortController().signal;

describe.each(DIALECTS)('SQL source on %s', (dialect) => {
  const materials = `sr_${dialect.slice(0, 2)}_${RUN_TAG}_materials`;
  let db: TestDb | null = null;
  let connector: Connector;

  beforeAll(async () => {
    db = await openTestDb(dialect);
    if (!db) return;
    const t = types(dialect);
    const p = (n: number) => (dialect === 'postgres' ? `$${n}` : '?');
    await dropTables(db, materials);
    await db.exec(
      `CREATE TABLE ${materials} (code ${t.text(20)} PRIMARY KEY, name ${t.text(100)} NOT NULL, price ${t.decimal}, status ${t.text(20)} NOT NULL, updated_at ${t.text(40)} NOT NULL)${t.tableSuffix}`,
    );
    const rows = [
      ['M-001', '不锈钢螺丝', '0.35', 'approved', '2026-11-20T09:00:00+08:00'],
      ['M-002', '铝合金型材', '12345678901234.56', 'approved', '2026-11-20T09:00:00+08:00'],
      ['M-003', '草稿物料', '1.00', 'draft', '2026-11-20T10:00:00+08:00'],
      ['M-004', '橡胶垫圈', '2.50', 'approved', '2026-11-21T09:00:00+08:00'],
    ];
    for (const row of rows) await db.client.query(`INSERT INTO ${materials} VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)})`, row);
    connector = db.connector();
  });
  afterAll(async () => {
    await connector?.close();
    if (db) await dropTables(db, materials);
    await db?.close();
  });

  function need(context: TestContext): TestDb {
    if (!db) return context.skip(`${dialect} is not available`);
    return db;
  }

  it('reads a table with a where filter and selected columns, versions as text', async (context) => {
    need(context);
    const options = { table: materials, cursorColumn: 'updated_at', idColumn: 'code', where: "status = 'approved'", columns: ['name', 'price'] };
    const first = await connector.read!({ options, cursor: null, limit: 2 }, signal);
    expect(first.records).toEqual([
      { sourceId: 'M-001', version: '2026-11-20T09:00:00+08:00', payload: { updated_at: '2026-11-20T09:00:00+08:00', code: 'M-001', name: '不锈钢螺丝', price: '0.35' } },
      { sourceId: 'M-002', version: '2026-11-20T09:00:00+08:00', payload: { updated_at: '2026-11-20T09:00:00+08:00', code: 'M-002', name: '铝合金型材', price: '12345678901234.56' } },
    ]);
    expect(first.hasMore).toBe(true);
    const second = await connector.read!({ options, cursor: first.cursor, limit: 2 }, signal);
    expect(second.records.map((record) => record.sourceId)).toEqual(['M-004']);
    expect(second.hasMore).toBe(false);
  });

  it('reads through a workspace query with :cursor', async (context) => {
    need(context);
    const query = `SELECT code, name, updated_at FROM ${materials} WHERE status = 'approved' AND (updated_at >= :cursor OR :cursor IS NULL)`;
    const options = { query, cursorColumn: 'updated_at', idColumn: 'code' };
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page = await connector.read!({ options, cursor, limit: 1 }, signal);
      ids.push(...page.records.map((record) => record.sourceId));
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(ids).toEqual(['M-001', 'M-002', 'M-004']);
  });

  it('rejects a cursor it did not write and bad identifiers', async (context) => {
    need(context);
    const options = { table: materials, cursorColumn: 'updated_at', idColumn: 'code' };
    await expect(connector.read!({ options, cursor: '2026-11-20', limit: 5 }, signal)).rejects.toMatchObject({ code: 'DT_SQL_CURSOR' });
    await expect(connector.read!({ options: { ...options, table: `${materials} --` }, cursor: null, limit: 5 }, signal)).rejects.toMatchObject({ code: 'DT_SQL_IDENTIFIER' });
    await expect(connector.read!({ options: { ...options, table: 'sr_no_such_table' }, cursor: null, limit: 5 }, signal)).rejects.toMatchObject({
      code: 'DT_SQL_STATEMENT',
      retryable: false,
    });
  });

  it('looks rows up by key; missing keys are absent', async (context) => {
    need(context);
    const found = await connector.lookup!({ options: { table: materials, keyColumn: 'code', columns: ['name', 'price'] }, keys: ['M-002', 'M-404', 'M-001', 'M-002'] }, signal);
    expect([...found.keys()].sort()).toEqual(['M-001', 'M-002']);
    expect(found.get('M-002')).toEqual({ code: 'M-002', name: '铝合金型材', price: '12345678901234.56' });
    const injected = await connector.lookup!({ options: { table: materials, keyColumn: 'code' }, keys: ["M-001' OR '1'='1"] }, signal);
    expect(injected.size).toBe(0);
  });

  it('discovers tables and columns with their keys', async (context) => {
    need(context);
    const entities = await connector.discover!(signal);
    const table = entities.find((entity) => entity.name === materials);
    expect(table?.fields.map((field) => field.name)).toEqual(['code', 'name', 'price', 'status', 'updated_at']);
    expect(table?.fields.find((field) => field.name === 'code')).toMatchObject({ key: true, nullable: false });
    expect(table?.fields.find((field) => field.name === 'price')).toMatchObject({ key: false, nullable: true });
    expect(entities.some((entity) => entity.name === 'datong_applied_writes')).toBe(false);
  });

  it('checks the connection', async (context) => {
    need(context);
    const result = await connector.check!(signal);
    expect(result.ok).toBe(true);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });
});
