import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErpActivity } from './erp-activity.ts';
import { openErpDb, type ErpDb } from './erp-db.ts';
import { Random } from './random.ts';

const dir = mkdtempSync(join(tmpdir(), 'datong-demo-erp-'));
const open: ErpDb[] = [];

afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

type StockRow = { sku: string; qty: number; updated_at: string };

describe('demo ERP database', () => {
  it('creates the tables and seeds 20 SKUs once', () => {
    const path = join(dir, 'seed.db');
    const first = openErpDb(path, new Random(1));
    open.push(first);
    const rows = first.prepare('SELECT * FROM stock ORDER BY sku').all() as StockRow[];
    expect(rows).toHaveLength(20);
    expect(rows[0]).toMatchObject({ sku: 'SKU-1001', product_name: '西湖龙井 明前特级 250g', warehouse: '上海仓' });
    expect(first.pragma('journal_mode', { simple: true })).toBe('wal');
    first.prepare(`UPDATE stock SET qty = 1 WHERE sku = 'SKU-1001'`).run();
    const again = openErpDb(path, new Random(2));
    open.push(again);
    expect((again.prepare(`SELECT qty FROM stock WHERE sku = 'SKU-1001'`).get() as StockRow).qty).toBe(1);
    expect(again.prepare('SELECT COUNT(*) AS n FROM stock').get()).toEqual({ n: 20 });
  });

  it('changes a few stock levels per round with ever newer updated_at', () => {
    const db = openErpDb(join(dir, 'activity.db'), new Random(3));
    open.push(db);
    const activity = new ErpActivity(db, new Random(4));
    const now = Date.parse('2026-11-22T12:45:00Z');
    let newest = (db.prepare('SELECT MAX(updated_at) AS m FROM stock').get() as { m: string }).m;
    for (let round = 0; round < 20; round++) {
      const changed = activity.round(now); // the same clock reading every round: stamps must still grow
      expect(changed.length).toBeGreaterThanOrEqual(1);
      expect(changed.length).toBeLessThanOrEqual(4);
      const stamps = changed.map(({ sku }) => (db.prepare('SELECT * FROM stock WHERE sku = ?').get(sku) as StockRow).updated_at);
      for (const stamp of stamps) {
        expect(stamp > newest || stamp === newest).toBe(true);
        expect(stamp).toMatch(/\+08:00$/);
      }
      newest = stamps.sort().at(-1)!;
      for (const { sku, qty } of changed) expect((db.prepare('SELECT qty FROM stock WHERE sku = ?').get(sku) as StockRow).qty).toBe(qty);
    }
    expect(new Set((db.prepare('SELECT updated_at FROM stock').all() as StockRow[]).map((r) => r.updated_at)).size).toBe(20);
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
