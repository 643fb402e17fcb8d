/**
 * Backlog memory: with no worker running, a large backlog is committed to the store (direct
 * inserts in big transactions, as a long target outage would pile it up); then a hub with a
 * worker drains a slice of it. Leasing is bounded (never more than batchSize × batches in
 * flight leased at once) and the process's RSS stays flat: the backlog is never loaded into
 * memory. The numbers measured are printed.
 *
 * DATONG_BACKLOG_RECORDS / DATONG_BACKLOG_SLICE raise the sizes for a bench run (defaults
 * 200,000 and 30,000 in the suite).
 */
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { Hub } from '../../src/hub/hub.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import { insertRecords, type NewRecord } from '../../src/store/queue.ts';
import { writeWorkspace } from '../support/workspace-folder.ts';
import { faultTempDir, removeDir, subDir } from './support/temp-dir.ts';

const RECORDS = Number(process.env.DATONG_BACKLOG_RECORDS ?? 200_000);
const SLICE = Number(process.env.DATONG_BACKLOG_SLICE ?? 30_000);
const BATCH = 200;
const BATCHES_IN_FLIGHT = 2;
const CHUNK = 20_000;
const MB = 1024 * 1024;
/**
 * The allowed RSS growth while draining, from the warm worker on. Holding 200,000 parsed
 * payloads alone would take about 115 MB of heap (measured below and printed); a bounded worker
 * needs a few MB beyond garbage not yet collected.
 */
const RSS_GROWTH_LIMIT_MB = 48;
/** The main heap after a full collection, against the warm baseline: a leak per record would show here. */
const RETAINED_HEAP_LIMIT_MB = 8;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let dir: string | undefined;
let hub: Hub | undefined;

afterAll(async () => {
  await hub?.stop(2_000);
  removeDir(dir);
});

it(`drains a slice of a ${RECORDS.toLocaleString('en')}-record backlog with bounded leases and flat memory`, async () => {
  dir = faultTempDir('backlog');
  const targetPath = join(dir, 'wms.db');
  const target = new Database(targetPath);
  target.exec('CREATE TABLE stock (sku TEXT PRIMARY KEY, warehouse TEXT, qty INTEGER, version TEXT)');
  target.close();
  const workspaceDir = writeWorkspace(
    {
      name: '积压',
      systems: {
        shop: { type: 'http', config: { baseUrl: 'http://127.0.0.1:9/unused' } },
        wms: { type: 'sql', config: { url: `sqlite:${targetPath}` } },
      },
      flows: {
        'stock-sync': {
          trigger: { type: 'webhook', system: 'shop', secrets: ['unused'], sourceId: 'sku', version: 'version' },
          steps: [{ id: 'write-wms', type: 'write', system: 'wms', options: { table: 'stock', key: ['sku'], version: 'version', columns: ['warehouse', 'qty'] } }],
        },
      },
    },
    subDir(dir, 'workspace'),
  );
  const options = { workspaceDir, dataDir: join(dir, 'data'), storeUrl: `sqlite:${join(dir, 'store.db')}`, logger: silentLogger, defaultMetrics: false };

  // The backlog, with the worker off: committed in transactions of 20,000.
  const inserting = Date.now();
  const front = await Hub.start({ ...options, work: false });
  const snapshot = front.snapshot.id;
  for (let start = 0; start < RECORDS; start += CHUNK) {
    const chunk: NewRecord[] = [];
    for (let i = start; i < Math.min(RECORDS, start + CHUNK); i++) {
      const sku = `SKU-${String(i).padStart(7, '0')}`;
      chunk.push({
        flow: 'stock-sync',
        snapshot,
        sourceSystem: 'shop',
        sourceId: sku,
        version: '000001',
        deliveryId: `stock-${i}`,
        payload: { sku, version: '000001', warehouse: '上海一号仓', qty: i % 500, note: '盘点后库存同步（积压测试）'.repeat(4) },
      });
    }
    await front.db.transaction((tx) => insertRecords(tx, chunk));
  }
  await front.stop();
  const insertMs = Date.now() - inserting;

  gc();
  const beforeStart = process.memoryUsage();
  hub = await Hub.start({ ...options, worker: { batchSize: BATCH, maxBatchesInFlight: BATCHES_IN_FLIGHT, leaseMs: 30_000 } });
  const draining = Date.now();
  // The baseline is taken once the worker is warm (connectors open, plans compiled, first
  // batches done): what grows after that grows with the work, not with the hub's fixed costs.
  let baseline: NodeJS.MemoryUsage | undefined;
  const samples: { rss: number; heap: number; leased: number; done: number }[] = [];
  for (;;) {
    const row = await hub.db.get<{ leased: number; done: number }>(
      `SELECT SUM(CASE WHEN state = 'leased' THEN 1 ELSE 0 END) AS leased, SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS done FROM records`,
    );
    const done = Number(row?.done ?? 0);
    if (!baseline && done >= 2 * BATCH * BATCHES_IN_FLIGHT) {
      gc();
      baseline = process.memoryUsage();
    }
    const memory = process.memoryUsage();
    samples.push({ rss: memory.rss, heap: memory.heapUsed, leased: Number(row?.leased ?? 0), done });
    if (samples.at(-1)!.done >= SLICE) break;
    if (Date.now() - draining > 240_000) throw new Error(`only ${samples.at(-1)!.done} of ${SLICE} records drained in 240 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const drainMs = Date.now() - draining;
  // What the running hub still holds after a full collection: a leak would grow with the slice.
  gc();
  const retained = process.memoryUsage();
  await hub.stop(5_000);
  hub = undefined;

  if (!baseline) throw new Error('the worker never got warm');
  const warm = samples.filter((s) => s.done >= 2 * BATCH * BATCHES_IN_FLIGHT);
  const maxRss = Math.max(...warm.map((s) => s.rss));
  const maxHeap = Math.max(...warm.map((s) => s.heap));
  const maxLeased = Math.max(...samples.map((s) => s.leased));
  const drained = samples.at(-1)!.done;

  // For comparison: what holding the backlog's payloads in memory would take (measured on a slice, scaled).
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const probe = new Database(join(dir, 'store.db'), { readonly: true });
  const held = (probe.prepare('SELECT payload FROM records LIMIT 20000').all() as { payload: string }[]).map((row) => JSON.parse(row.payload) as unknown);
  const perRecord = (process.memoryUsage().heapUsed - heapBefore) / held.length;
  probe.close();
  held.length = 0;

  const report = {
    backlog: RECORDS,
    insertMs,
    drained,
    drainMs,
    recordsPerSecond: Math.round((drained / drainMs) * 1000),
    rssBeforeStartMb: +(beforeStart.rss / MB).toFixed(1),
    warmRssMb: +(baseline.rss / MB).toFixed(1),
    maxRssMb: +(maxRss / MB).toFixed(1),
    rssGrowthMb: +((maxRss - baseline.rss) / MB).toFixed(1),
    heapGrowthMb: +((maxHeap - baseline.heapUsed) / MB).toFixed(1),
    retainedHeapMb: +((retained.heapUsed - baseline.heapUsed) / MB).toFixed(1),
    retainedRssMb: +((retained.rss - baseline.rss) / MB).toFixed(1),
    retainedHeapTotalMb: +((retained.heapTotal - baseline.heapTotal) / MB).toFixed(1),
    retainedExternalMb: +((retained.external - baseline.external) / MB).toFixed(1),
    maxLeased,
    wholeBacklogInHeapMb: Math.round((perRecord * RECORDS) / MB),
    samples: samples.length,
  };
  console.log('[backlog]', report);

  expect(drained).toBeGreaterThanOrEqual(SLICE);
  expect(maxLeased).toBeLessThanOrEqual(BATCH * BATCHES_IN_FLIGHT);
  expect(report.rssGrowthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
  expect(report.retainedHeapMb).toBeLessThan(RETAINED_HEAP_LIMIT_MB);
  expect(report.rssGrowthMb).toBeLessThan(report.wholeBacklogInHeapMb / 2);
  const target2 = new Database(targetPath, { readonly: true });
  expect((target2.prepare('SELECT COUNT(*) AS n FROM stock').get() as { n: number }).n).toBeGreaterThanOrEqual(SLICE);
  target2.close();
}, 600_000);
