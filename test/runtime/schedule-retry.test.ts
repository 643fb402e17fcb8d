/**
 * A scheduled read that fails (here: its source table does not exist yet, as when a hub starts
 * before the system it reads has set itself up) is tried again within seconds, not after the
 * timer's five-minute lease.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { WitnessServer } from '../../src/connectors/http/testing/witness-server.ts';
import { Hub } from '../../src/hub/hub.ts';
import { silentLogger, type Logger } from '../../src/sdk/logger.ts';
import { waitFor, writeWorkspace } from '../support/workspace-folder.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'datong-schedule-retry-'));
let witness: WitnessServer | undefined;
let hub: Hub | undefined;
let dir: string | undefined;

afterAll(async () => {
  await hub?.stop().catch(() => {});
  await witness?.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a failing scheduled read', () => {
  it('is retried within seconds once its source is there', { timeout: 40_000 }, async () => {
    witness = await WitnessServer.start();
    const erpPath = join(dataDir, 'erp.db');
    dir = writeWorkspace({
      systems: {
        shop: { type: 'http', config: { baseUrl: witness.url } },
        erp: { type: 'sql', config: { url: `sqlite:${erpPath}` } },
      },
      mappings: { stock: { fields: { id: 'sku', qty: { from: 'qty', cast: 'integer' } } } },
      flows: {
        'stock-push': {
          trigger: { type: 'schedule', cron: '* * * * * *', read: { system: 'erp', options: { table: 'stock', cursorColumn: 'updated_at', idColumn: 'sku' } } },
          steps: [{ type: 'map', mapping: 'stock' }, { id: 'push', type: 'write', system: 'shop', options: { method: 'PUT', path: '/stock/{id}' } }],
        },
      },
    });
    const errors: string[] = [];
    const logger: Logger = { ...silentLogger, error: (_obj, msg) => void errors.push(String(msg)), child: () => logger };
    hub = await Hub.start({ workspaceDir: dir, dataDir, logger, defaultMetrics: false });
    // The first fire finds no table and fails.
    await waitFor(() => errors.some((message) => message.startsWith('timer failed')), { what: 'a failed fire', timeoutMs: 10_000 });

    const erp = new Database(erpPath);
    erp.exec(`CREATE TABLE stock (sku TEXT PRIMARY KEY, qty INTEGER NOT NULL, updated_at TEXT NOT NULL)`);
    erp.prepare('INSERT INTO stock VALUES (?, ?, ?)').run('SKU-1001', 42, '2026-11-22T20:45:00.000+08:00');
    erp.close();

    const started = Date.now();
    await waitFor(() => witness!.records.get('SKU-1001'), { what: 'the stock row pushed', timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(witness.records.get('SKU-1001')?.data).toEqual({ id: 'SKU-1001', qty: 42 });
  });
});
