import { describe, expect, it } from 'vitest';
import { DatongError, type WriteItem } from '../../sdk/index.ts';
import { itemRows, ledgerKey, planWrite } from './write-plan.ts';

const orderOptions = {
  table: 'sale_orders',
  key: ['order_no'],
  version: 'updated_at',
  children: [{ table: 'sale_order_lines', from: 'lines', parentKey: { order_no: 'order_no' }, key: ['order_no', 'line_no'] }],
};

function item(data: unknown, version?: string): WriteItem {
  return { recordId: 'rec-1', idempotencyKey: 'flow:erp:SO-001', version, data };
}

describe('write plans', () => {
  it('checks every identifier in the options', () => {
    expect(() => planWrite({ ...orderOptions, table: 'orders; DROP TABLE x' })).toThrow(/Invalid SQL identifier/);
    expect(() => planWrite({ ...orderOptions, key: ['id', 'x y'] })).toThrow(/Invalid SQL identifier/);
    expect(() => planWrite({ ...orderOptions, children: [{ ...orderOptions.children[0], parentKey: { 'a;b': 'order_no' } }] })).toThrow(/Invalid SQL identifier/);
    expect(() => planWrite({ table: 't', key: [] })).toThrow(/at least one column/);
    expect(planWrite({ table: 't', key: ['id'] }).idempotency).toBe(true);
    expect(planWrite({ table: 't', key: ['id'], idempotency: false }).idempotency).toBe(false);
    expect(planWrite({ table: 't', key: ['id'] }).ledgerTable).toBe('datong_applied_writes');
    expect(planWrite({ table: 't', key: ['id'], ledgerTable: 'erp_ledger' }).ledgerTable).toBe('erp_ledger');
    expect(() => planWrite({ table: 't', key: ['id'], ledgerTable: 'x;y' })).toThrow(/Invalid SQL identifier/);
  });

  it('splits an order into the header row and its lines with the parent key copied', () => {
    const plan = planWrite(orderOptions);
    const rows = itemRows('sqlite', plan, item({ order_no: 'SO-001', customer: '上海华东贸易', paid: true, lines: [{ line_no: 1, sku: '螺丝', qty: '10' }] }, '2026-11-22T08:00:00+08:00'));
    expect(rows.header).toEqual({ order_no: 'SO-001', customer: '上海华东贸易', paid: 1n, updated_at: '2026-11-22T08:00:00+08:00' });
    expect(rows.targetId).toBe('SO-001');
    expect(rows.children).toEqual([{ rows: [{ line_no: 1n, sku: '螺丝', qty: '10', order_no: 'SO-001' }], parent: { order_no: 'SO-001' } }]);
  });

  it('prefers a version the data carries, and leaves absent child arrays alone', () => {
    const plan = planWrite(orderOptions);
    const rows = itemRows('postgres', plan, item({ order_no: 'SO-1', updated_at: '2026-01-02' }, '2026-01-01'));
    expect(rows.header.updated_at).toBe('2026-01-02');
    expect(rows.children).toEqual([undefined]);
  });

  it('stores objects and arrays as JSON text and keeps decimals as strings', () => {
    const plan = planWrite({ table: 't', key: ['id'] });
    const rows = itemRows('mysql', plan, item({ id: 7, attrs: { 颜色: '红' }, tags: ['a'], amount: '12345678901234.56', paid: false }));
    expect(rows.header).toEqual({ id: 7, attrs: '{"颜色":"红"}', tags: '["a"]', amount: '12345678901234.56', paid: false });
  });

  it('applies the column whitelist but always keeps key and version', () => {
    const plan = planWrite({ table: 't', key: ['id'], version: 'v', columns: ['name'] });
    expect(itemRows('sqlite', plan, item({ id: 1, name: '张三', secret: 'x', v: '1' })).header).toEqual({ id: 1n, name: '张三', v: '1' });
  });

  it.each([
    [{ order_no: 'SO-1', 'name; DROP TABLE t': 1 }, 'DT_SQL_IDENTIFIER'],
    [{ customer: 'no key' }, 'DT_SQL_CONSTRAINT'],
    [{ order_no: 'SO-1', lines: 'not an array' }, 'DT_SQL_CONSTRAINT'],
    [{ order_no: 'SO-1', lines: [{ sku: 'no line_no' }] }, 'DT_SQL_CONSTRAINT'],
    ['not an object', 'DT_SQL_CONSTRAINT'],
  ])('rejects item %j with %s', (data, code) => {
    try {
      itemRows('sqlite', planWrite(orderOptions), item(data));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DatongError);
      expect((error as DatongError).code).toBe(code);
    }
  });
});

describe('ledger keys', () => {
  it('add the version, so a newer version of the same record is not a duplicate', () => {
    expect(ledgerKey('k')).toBe('k');
    expect(ledgerKey('k', 'v1')).toBe('["k","v1"]');
    expect(ledgerKey('k', 'v1')).not.toBe(ledgerKey('k', 'v2'));
  });

  it('hash long keys and keys with trailing blanks', () => {
    expect(ledgerKey('x'.repeat(300))).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ledgerKey('x'.repeat(300))).not.toBe(ledgerKey('x'.repeat(301)));
    expect(ledgerKey('k ')).not.toBe(ledgerKey('k'));
  });
});
