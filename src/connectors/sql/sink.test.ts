/**
 * The SQL target against real databases (SQLite file, PostgreSQL, MariaDB): header + lines in
 * one transaction, injection attempts, exact decimals and Chinese text. Tables: sk_<dialect>_<run tag>_*.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { newId } from '../../record/ids.ts';
import { silentLogger, type Connector, type WriteItem, type WriteOutcome } from '../../sdk/index.ts';
import { sqlSpec } from './spec.ts';
import { addWriteLog, dropTables, dropWriteLog, types } from './testing/harness.ts';
import { DIALECTS, openTestDb, RUN_TAG, type TestDb } from './testing/test-db.ts';

const DECIMAL = '12345678901234.56';
const CHINESE = '深圳市前海微众银行股份有限公司（𠮷野家分店）😀';

describe.each(DIALECTS)('SQL target on %s', (dialect) => {
  const orders = `sk_${dialect.slice(0, 2)}_${RUN_TAG}_orders`;
  const lines = `sk_${dialect.slice(0, 2)}_${RUN_TAG}_lines`;
  const run = newId();
  let db: TestDb | null = null;
  let connector: Connector;

  const orderOptions = {
    table: orders,
    key: ['order_no'],
    version: 'updated_at',
    children: [{ table: lines, from: 'lines', parentKey: { order_no: 'order_no' }, key: ['order_no', 'line_no'] }],
  };

  beforeAll(async () => {
    db = await openTestDb(dialect);
    if (!db) return;
    const t = types(dialect);
    await dropTables(db, `${orders}_writes`, lines, orders);
    await db.exec(
      `CREATE TABLE ${orders} (order_no ${t.text(40)} PRIMARY KEY, customer ${t.text(200)} NOT NULL, amount ${t.decimal}, note ${t.text(200)}, attrs ${t.text(400)}, updated_at ${t.text(40)})${t.tableSuffix}`,
      `CREATE TABLE ${lines} (order_no ${t.text(40)} NOT NULL, line_no INTEGER NOT NULL, sku ${t.text(40)} NOT NULL, qty ${t.decimal} NOT NULL, PRIMARY KEY (order_no, line_no))${t.tableSuffix}`,
    );
    await addWriteLog(db, orders, { id: 'order_no', version: 'updated_at' });
  });
  afterAll(async () => {
    await connector?.close();
    if (db) {
      await dropWriteLog(db, orders);
      await dropTables(db, lines, orders);
    }
    await db?.close();
  });
  beforeEach(async () => {
    if (!db) return;
    await db.exec(`DELETE FROM ${lines}`, `DELETE FROM ${orders}`, `DELETE FROM ${orders}_writes`);
    await connector?.close();
    connector = db.connector();
  });

  function need(context: TestContext): TestDb {
    if (!db) return context.skip(`${dialect} is not available`);
    return db;
  }
  function order(no: string, version: string, data: Record<string, unknown>, key = `${run}:${no}`): WriteItem {
    return { recordId: `rec-${no}`, idempotencyKey: key, version, data: { order_no: no, customer: '华东贸易', ...data } };
  }
  function write(items: WriteItem[], options: Record<string, unknown> = orderOptions): Promise<WriteOutcome[]> {
    return connector.write!({ options, items }, new AbortController().signal);
  }
  async function linesOf(test: TestDb, no: string) {
    const rows = await test.rows<{ line_no: number | string; sku: string; qty: unknown }>(`SELECT line_no, sku, qty FROM ${lines} WHERE order_no = ${dialect === 'postgres' ? '$1' : '?'} ORDER BY line_no`, [no]);
    return rows.map((row) => [Number(row.line_no), row.sku, String(row.qty)]);
  }
  const qty = (value: string) => (dialect === 'sqlite' ? value : Number(value).toFixed(2));

  it('writes a header and its lines together and syncs the lines on a newer version', async (context) => {
    const test = need(context);
    const v1 = order('SO-001', '2026-11-20T09:00:00+08:00', {
      lines: [
        { line_no: 1, sku: '螺丝M6', qty: '100' },
        { line_no: 2, sku: '垫片', qty: '200' },
        { line_no: 3, sku: '螺母', qty: '300' },
      ],
    });
    expect(await write([v1])).toEqual([{ status: 'written', targetId: 'SO-001' }]);
    expect(await linesOf(test, 'SO-001')).toEqual([
      [1, '螺丝M6', qty('100')],
      [2, '垫片', qty('200')],
      [3, '螺母', qty('300')],
    ]);

    const v2 = order('SO-001', '2026-11-21T09:00:00+08:00', {
      lines: [
        { line_no: 1, sku: '螺丝M6', qty: '150' },
        { line_no: 3, sku: '螺母', qty: '300' },
      ],
    });
    expect(await write([v2])).toEqual([{ status: 'written', targetId: 'SO-001' }]);
    // A retry of the same write (lost acknowledgement): nothing runs again, nothing duplicates.
    expect(await write([v2])).toEqual([{ status: 'unchanged', targetId: 'SO-001', reason: 'duplicate' }]);
    expect(await linesOf(test, 'SO-001')).toEqual([
      [1, '螺丝M6', qty('150')],
      [3, '螺母', qty('300')],
    ]);

    // An older version arriving late leaves header and lines alone.
    const late = order('SO-001', '2026-11-20T12:00:00+08:00', { customer: '旧数据', lines: [] });
    expect(await write([late])).toEqual([{ status: 'unchanged', targetId: 'SO-001', reason: 'stale' }]);
    expect(await linesOf(test, 'SO-001')).toHaveLength(2);
    const [header] = await test.rows<{ customer: string; updated_at: string }>(`SELECT customer, updated_at FROM ${orders}`);
    expect(header).toEqual({ customer: '华东贸易', updated_at: '2026-11-21T09:00:00+08:00' });
    const witness = await test.rows<{ id: string }>(`SELECT id FROM ${orders}_writes`);
    expect(witness.length).toBe(dialect === 'mysql' ? 3 : 2); // MariaDB fires AFTER UPDATE for the guarded no-op too
  });

  it('rolls back a header with a failing line, commits the rest of the batch, and accepts the fixed retry', async (context) => {
    const test = need(context);
    const version = '2026-11-20T09:00:00+08:00';
    const bad = order('SO-011', version, { lines: [{ line_no: 1, sku: '好的', qty: '1' }, { line_no: 2, sku: null, qty: '2' }] });
    const outcomes = await write([
      order('SO-010', version, { lines: [{ line_no: 1, sku: 'A', qty: '1' }] }),
      bad,
      order('SO-012', version, { lines: [] }),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['written', 'failed', 'written']);
    const failure = outcomes[1];
    if (failure.status !== 'failed') throw new Error('unreachable');
    expect(failure.error.code).toBe('DT_SQL_CONSTRAINT');
    expect(failure.error.retryable).toBe(false);
    expect(failure.error.params.table).toBe(lines);
    expect(failure.error.where.recordId).toBe('rec-SO-011');

    const headers = await test.rows<{ order_no: string }>(`SELECT order_no FROM ${orders} ORDER BY order_no`);
    expect(headers.map((row) => row.order_no)).toEqual(['SO-010', 'SO-012']);
    expect(await linesOf(test, 'SO-011')).toEqual([]);

    // Its ledger entry was rolled back with it: the corrected record under the same key is written.
    const fixed = order('SO-011', version, { lines: [{ line_no: 1, sku: '好的', qty: '1' }, { line_no: 2, sku: '补上', qty: '2' }] });
    expect(await write([fixed])).toEqual([{ status: 'written', targetId: 'SO-011' }]);
    expect(await linesOf(test, 'SO-011')).toHaveLength(2);

    // An update whose line fails leaves the stored header and lines as they were.
    const update = order('SO-011', '2026-11-22T09:00:00+08:00', { customer: '新客户', lines: [{ line_no: 1, sku: null, qty: '1' }] });
    expect((await write([update]))[0].status).toBe('failed');
    const [header] = await test.rows<{ customer: string; updated_at: string }>(`SELECT customer, updated_at FROM ${orders} WHERE order_no = 'SO-011'`);
    expect(header).toEqual({ customer: '华东贸易', updated_at: version });
    expect(await linesOf(test, 'SO-011')).toHaveLength(2);
  });

  it('rejects SQL injection in identifiers and stores it verbatim in values', async (context) => {
    const test = need(context);
    const version = '2026-11-20T09:00:00+08:00';
    const evilTable = await write([order('SO-020', version, {})], { table: `${orders}; DROP TABLE ${orders}`, key: ['order_no'] });
    expect(evilTable[0].status).toBe('failed');
    if (evilTable[0].status === 'failed') expect(evilTable[0].error.code).toBe('DT_SQL_IDENTIFIER');
    const evilKey = await write([order('SO-021', version, {})], { table: orders, key: ['order_no) DO NOTHING; --'] });
    if (evilKey[0].status === 'failed') expect(evilKey[0].error.code).toBe('DT_SQL_IDENTIFIER');
    else throw new Error('an injected key column was accepted');

    const values = ["Robert'); DROP TABLE students; --", 'a\\\'b"c`d', "1' OR '1'='1", `x\`; DROP TABLE ${orders}; --`];
    const outcomes = await write([
      order('SO-022', version, { [`note = 'x'; DROP TABLE ${orders}; --`]: 'evil column' }),
      ...values.map((value, i) => order(`SO-03${i}`, version, { customer: value, note: value })),
    ]);
    expect(outcomes[0].status).toBe('failed');
    if (outcomes[0].status === 'failed') expect(outcomes[0].error.code).toBe('DT_SQL_IDENTIFIER');
    expect(outcomes.slice(1).map((outcome) => outcome.status)).toEqual(values.map(() => 'written'));
    const stored = await test.rows<{ customer: string; note: string }>(`SELECT customer, note FROM ${orders} ORDER BY order_no`);
    expect(stored).toEqual(values.map((value) => ({ customer: value, note: value })));
  });

  it('keeps decimals, Chinese text, JSON and booleans exactly', async (context) => {
    const test = need(context);
    const outcomes = await write(
      [order('SO-040', '2026-11-20T09:00:00+08:00', { customer: CHINESE, amount: DECIMAL, attrs: { 颜色: '红', 尺寸: [1, 2] }, note: true })],
      { table: orders, key: ['order_no'], version: 'updated_at' },
    );
    expect(outcomes).toEqual([{ status: 'written', targetId: 'SO-040' }]);
    const [row] = await test.rows<{ customer: string; amount: string; attrs: string; note: unknown }>(`SELECT customer, amount, attrs, note FROM ${orders}`);
    expect(row.customer).toBe(CHINESE);
    expect(row.amount).toBe(DECIMAL);
    expect(JSON.parse(row.attrs)).toEqual({ 颜色: '红', 尺寸: [1, 2] });
    expect(['1', 'true']).toContain(String(row.note));

    // And back out through the connector's own read path.
    const page = await connector.read!({ options: { table: orders, cursorColumn: 'updated_at', idColumn: 'order_no' }, cursor: null, limit: 10 }, new AbortController().signal);
    expect(page.records[0].payload).toMatchObject({ customer: CHINESE, amount: DECIMAL });
  });

  it('writes only whitelisted columns, and without idempotency a replay writes again', async (context) => {
    const test = need(context);
    const item = order('SO-050', '2026-11-20T09:00:00+08:00', { note: '备注', not_a_column: 'ignored' });
    const options = { table: orders, key: ['order_no'], columns: ['customer', 'note'], idempotency: false };
    expect(await write([item], options)).toEqual([{ status: 'written', targetId: 'SO-050' }]);
    expect(await write([item], options)).toEqual([{ status: 'written', targetId: 'SO-050' }]);
    const witness = await test.rows(`SELECT id FROM ${orders}_writes`);
    expect(witness).toHaveLength(2);
    const [row] = await test.rows<{ note: string; updated_at: string | null }>(`SELECT note, updated_at FROM ${orders}`);
    expect(row).toEqual({ note: '备注', updated_at: null });
  });

  it('throws a retryable DT_SQL_CONNECTION when the database cannot be reached', async (context) => {
    const test = need(context);
    // SQLite: a folder that cannot be created (its parent is a file).
    const url = dialect === 'sqlite' ? `sqlite:${test.url.slice('sqlite:'.length)}/no-such-dir/x.db` : dialect === 'postgres' ? 'postgres://postgres@127.0.0.1:1/test' : 'mysql://root@127.0.0.1:1/test';
    const unreachable = sqlSpec.create({ url }, { systemId: 'down', timezone: 'Asia/Shanghai', baseDir: '/', logger: silentLogger });
    try {
      const error = await unreachable.write!({ options: orderOptions, items: [order('SO-060', 'v', {})] }, new AbortController().signal).then(
        () => new Error('resolved'),
        (rejection: unknown) => rejection,
      );
      expect(error).toMatchObject({ code: 'DT_SQL_CONNECTION', retryable: true });
      const check = await unreachable.check!(new AbortController().signal);
      expect(check.ok).toBe(false);
    } finally {
      await unreachable.close();
    }
  });
});
