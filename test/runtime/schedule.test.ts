/**
 * Schedule trigger on a shared PostgreSQL store: two hubs, one cron — every scheduled time fires
 * once. A schedule that reads a SQL source delivers every row once, following its cursor.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WitnessServer } from '../../src/connectors/http/testing/witness-server.ts';
import { Hub } from '../../src/hub/hub.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import { openTestDb, type TestDb } from '../support/store-dbs.ts';
import { waitFor, writeWorkspace } from '../support/workspace-folder.ts';

let store: TestDb | null;
let witness: WitnessServer;
let dir: string;
let dataDir: string;
let source: Database.Database;
const hubs: Hub[] = [];

beforeAll(async () => {
  store = await openTestDb('postgres');
  witness = await WitnessServer.start();
  dataDir = mkdtempSync(join(tmpdir(), 'datong-schedule-'));
  source = new Database(join(dataDir, 'erp.db'));
  source.exec(`CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL, updated_at TEXT NOT NULL)`);
  const insert = source.prepare('INSERT INTO stock VALUES (?, ?, ?)');
  for (let i = 0; i < 25; i++) insert.run(`SKU-${String(i).padStart(3, '0')}`, i, '2026-11-22T10:00:00+08:00');
  dir = writeWorkspace({
    systems: {
      target: { type: 'http', config: { baseUrl: witness.url } },
      erp: { type: 'sql', config: { url: `sqlite:${join(dataDir, 'erp.db')}` } },
    },
    mappings: {
      tick: { fields: { id: 'scheduledFor' } },
      stock: { fields: { id: 'sku', qty: { from: 'qty', cast: 'integer' } } },
    },
    flows: {
      tick: {
        trigger: { type: 'schedule', cron: '* * * * * *' },
        steps: [{ type: 'map', mapping: 'tick' }, { id: 'push', type: 'write', system: 'target', options: { path: '/ticks/{id}' } }],
      },
      'stock-push': {
        trigger: { type: 'schedule', cron: '* * * * * *', read: { system: 'erp', options: { table: 'stock', cursorColumn: 'updated_at', idColumn: 'sku' }, pageSize: 10 } },
        steps: [{ type: 'map', mapping: 'stock' }, { id: 'push', type: 'write', system: 'target', options: { method: 'PUT', path: '/stock/{id}' } }],
      },
    },
  });
}, 60_000);

afterAll(async () => {
  for (const hub of hubs) await hub.stop().catch(() => {});
  await witness?.close();
  source?.close();
  await store?.cleanup();
  rmSync(dir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('schedule trigger with two hubs on one PostgreSQL store', () => {
  it('fires each scheduled time once and reads the source once per row version', async (ctx) => {
    if (!store) return ctx.skip();
    for (const name of ['a', 'b']) {
      hubs.push(await Hub.start({ workspaceDir: dir, dataDir, storeUrl: store.url, logger: silentLogger, defaultMetrics: false, workerId: `hub-${name}` }));
    }
    await waitFor(() => [...witness.records.keys()].filter((id) => id.startsWith('SKU-')).length === 25, { what: '25 stock rows pushed' });
    source.prepare(`UPDATE stock SET qty = 999, updated_at = '2026-11-22T11:00:00+08:00' WHERE sku = 'SKU-003'`).run();
    await waitFor(() => (witness.records.get('SKU-003')?.data as { qty?: number } | undefined)?.qty === 999, { what: 'updated row pushed' });
    await waitFor(() => [...witness.records.keys()].filter((id) => !id.startsWith('SKU-')).length >= 4, { what: '4 ticks', timeoutMs: 20_000 });
    await Promise.all(hubs.splice(0).map((hub) => hub.stop()));

    const ticks = witness.deliveries.filter((d) => d.path.startsWith('/ticks/') && d.result === 'applied');
    expect(new Set(ticks.map((d) => d.id)).size).toBe(ticks.length);
    const stockWrites = witness.deliveries.filter((d) => d.path.startsWith('/stock/') && d.result === 'applied');
    expect(stockWrites).toHaveLength(26);
    const db = store.db;
    const fired = await db.all<{ source_id: string; n: number }>(`SELECT source_id, COUNT(*) AS n FROM records WHERE flow = 'tick' GROUP BY source_id HAVING COUNT(*) > 1`);
    expect(fired).toEqual([]);
    const workers = await db.all<{ worker: string }>(`SELECT DISTINCT worker FROM runs`);
    expect(workers.length).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
