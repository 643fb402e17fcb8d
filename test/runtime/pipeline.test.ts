/**
 * The record path end to end in one process: signed webhook → map → validate → write, against a
 * real SQLite target and a real HTTP witness target; retries, dead letters, ordering, split and
 * aggregate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/api/server.ts';
import { WitnessServer } from '../../src/connectors/http/testing/witness-server.ts';
import { Hub } from '../../src/hub/hub.ts';
import { silentLogger } from '../../src/sdk/logger.ts';
import { signedHeaders } from '../../src/triggers/webhook/signature.ts';
import { waitFor, writeWorkspace } from '../support/workspace-folder.ts';

const SECRET = 'pipeline-secret';
let dir: string;
let hub: Hub;
let app: FastifyInstance;
let witness: WitnessServer;
let erp: Database.Database;
let delivery = 0;

const order = (orderNo: string, extra: Record<string, unknown> = {}) => ({
  orderNo,
  created: '22/11/2026 20:45',
  updatedAt: '2026-11-22T20:45:00+08:00',
  status: 'WAIT_SELLER_SEND_GOODS',
  totalFen: 19990,
  buyer: { name: '李雷', phone: '13800138000' },
  items: [
    { sku: 'SKU-1', qty: 2, priceFen: 4995 },
    { sku: 'SKU-2', qty: 1, priceFen: 10000 },
  ],
  ...extra,
});

async function post(flow: string, body: unknown, deliveryId = `d-${++delivery}`) {
  const raw = JSON.stringify(body);
  return app.inject({ method: 'POST', url: `/hooks/${flow}`, payload: raw, headers: signedHeaders(SECRET, raw, deliveryId) });
}

const records = (flow: string) => hub.db.all<{ state: string; source_id: string; attempts: number }>('SELECT state, source_id, attempts FROM records WHERE flow = ? ORDER BY seq', [flow]);

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'datong-pipeline-'));
  witness = await WitnessServer.start({ auth: { type: 'bearer', token: 'shop-token' } });
  erp = new Database(join(dataDir, 'erp.db'));
  erp.exec(`CREATE TABLE sales_order (order_no TEXT PRIMARY KEY, status TEXT, total TEXT, order_time TEXT, buyer TEXT, source_updated_at TEXT);
            CREATE TABLE sales_order_line (order_no TEXT, sku TEXT, qty INTEGER, price TEXT, PRIMARY KEY (order_no, sku));`);
  const webhook = (extra: Record<string, unknown> = {}) => ({ type: 'webhook', system: 'shop', secrets: [SECRET], sourceId: 'orderNo', version: 'updatedAt', ...extra });
  const fastRetry = { maxAttempts: 6, initialDelayMs: 20, maxDelayMs: 100 };
  dir = writeWorkspace({
    systems: {
      shop: { type: 'http', config: { baseUrl: witness.url, auth: { type: 'bearer', token: 'shop-token' }, timeoutMs: 2000 } },
      erp: { type: 'sql', config: { url: `sqlite:${join(dataDir, 'erp.db')}` } },
    },
    mappings: {
      'order-to-erp': {
        source: 'shop',
        fields: {
          order_no: 'orderNo',
          status: { from: 'status', valueMap: { WAIT_SELLER_SEND_GOODS: 'paid', TRADE_FINISHED: 'closed' } },
          total: { from: 'totalFen', decimal: { divide: 100, scale: 2 } },
          order_time: { from: 'created', date: { format: 'dd/MM/yyyy HH:mm' } },
          buyer: 'buyer.name',
          source_updated_at: 'updatedAt',
          lines: { from: 'items', each: { fields: { sku: 'sku', qty: { from: 'qty', cast: 'integer' }, price: { from: 'priceFen', decimal: { divide: 100, scale: 2 } } } } },
        },
      },
      'group-out': { fields: { id: 'groupKey', items: 'items' } },
      'enriched-out': { fields: { id: 'orderNo', erpOrderNo: 'erpOrderNo' } },
    },
    flows: {
      'to-erp': {
        trigger: webhook(),
        retry: fastRetry,
        steps: [
          { type: 'map', mapping: 'order-to-erp' },
          { type: 'validate', schema: { type: 'object', required: ['order_no', 'total'], properties: { total: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' } } } },
          {
            id: 'write-erp',
            type: 'write',
            system: 'erp',
            entity: 'sales-order',
            options: { table: 'sales_order', key: ['order_no'], version: 'source_updated_at', children: [{ table: 'sales_order_line', from: 'lines', parentKey: { order_no: 'order_no' }, key: ['order_no', 'sku'] }] },
          },
        ],
      },
      'to-shop': {
        trigger: webhook({ sourceId: 'id', key: 'entity' }),
        retry: fastRetry,
        steps: [{ id: 'push', type: 'write', system: 'shop', options: { method: 'PUT', path: '/items/{id}' } }],
      },
      enrich: {
        trigger: webhook(),
        retry: fastRetry,
        steps: [
          { type: 'lookup', key: 'orderNo', into: 'erpOrderNo', xref: { system: 'erp', entity: 'sales-order' } },
          { type: 'map', mapping: 'enriched-out' },
          { id: 'push', type: 'write', system: 'shop', options: { path: '/enriched/{id}' } },
        ],
      },
      fanout: {
        trigger: webhook(),
        retry: fastRetry,
        steps: [
          { type: 'split', path: 'items', sourceId: 'sku' },
          { type: 'filter', when: 'qty > 0' },
          { type: 'aggregate', groupBy: 'warehouse', size: 2 },
          { type: 'map', mapping: 'group-out' },
          { id: 'push', type: 'write', system: 'shop', options: { method: 'POST', path: '/batches/{id}' } },
        ],
      },
    },
  });
  hub = await Hub.start({ workspaceDir: dir, dataDir, storeUrl: `sqlite:${join(dataDir, 'store.db')}`, logger: silentLogger, defaultMetrics: false, worker: { leaseMs: 5000 } });
  app = await buildServer(hub);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await hub?.stop();
  await witness?.close();
  erp?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('webhook → map → validate → SQL target', () => {
  it('writes headers and lines once, with mapped values, and answers repeats without a new record', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post('to-erp', order(`TB${1000 + i}`), `erp-${i}`)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(40).fill(202));
    const repeat = await post('to-erp', order('TB1000'), 'erp-0');
    expect(repeat.statusCode).toBe(202);
    expect(repeat.json()).toEqual({ recordId: answers[0].json().recordId, duplicate: true });
    await waitFor(async () => (await records('to-erp')).every((r) => r.state === 'done') && (await records('to-erp')).length === 40, { what: '40 records done' });
    const header = erp.prepare('SELECT * FROM sales_order WHERE order_no = ?').get('TB1000');
    expect(header).toEqual({ order_no: 'TB1000', status: 'paid', total: '199.90', order_time: '2026-11-22T20:45:00.000+08:00', buyer: '李雷', source_updated_at: '2026-11-22T20:45:00+08:00' });
    expect(erp.prepare('SELECT COUNT(*) AS n FROM sales_order').get()).toEqual({ n: 40 });
    expect(erp.prepare('SELECT COUNT(*) AS n FROM sales_order_line').get()).toEqual({ n: 80 });
    expect(erp.prepare(`SELECT price FROM sales_order_line WHERE order_no = 'TB1000' AND sku = 'SKU-1'`).get()).toEqual({ price: '49.95' });
    const trace = await hub.db.get<{ hops: string }>('SELECT hops FROM runs WHERE record_id = ?', [answers[0].json().recordId]);
    expect(JSON.parse(trace!.hops).map((h: { step: string }) => h.step)).toEqual(['map-1', 'validate-2', 'write-erp']);
    const xref = await hub.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM xref WHERE entity = 'sales-order' AND system = 'erp'`);
    expect(Number(xref!.n)).toBe(40);
  });

  it('never lets an older version overwrite a newer one', async () => {
    await post('to-erp', order('TB2000', { updatedAt: '2026-11-22T21:00:00+08:00', status: 'TRADE_FINISHED' }));
    await waitFor(() => erp.prepare('SELECT status FROM sales_order WHERE order_no = ?').get('TB2000'));
    await post('to-erp', order('TB2000', { updatedAt: '2026-11-22T20:00:00+08:00' }));
    await waitFor(async () => (await records('to-erp')).filter((r) => r.source_id === 'TB2000').every((r) => r.state === 'done'));
    expect(erp.prepare('SELECT status, source_updated_at FROM sales_order WHERE order_no = ?').get('TB2000')).toEqual({ status: 'closed', source_updated_at: '2026-11-22T21:00:00+08:00' });
  });

  it('quarantines a record that fails mapping, naming field and value, while the others flow', async () => {
    const bad = await post('to-erp', order('TB3000', { status: 'WHO_KNOWS' }));
    const good = await post('to-erp', order('TB3001'));
    expect([bad.statusCode, good.statusCode]).toEqual([202, 202]);
    await waitFor(() => erp.prepare('SELECT 1 FROM sales_order WHERE order_no = ?').get('TB3001'));
    const letter = await waitFor(() => hub.db.get<{ reason: string; error_code: string; error: string; attempts: number }>('SELECT * FROM dead_letters WHERE record_id = ?', [bad.json().recordId]));
    expect(letter).toMatchObject({ reason: 'validation', error_code: 'DT_MAP_UNMAPPED_VALUE', attempts: 1 });
    expect(JSON.parse(letter!.error).message).toContain('WHO_KNOWS');
  });

  it('rejects forged, stale, malformed and oversized deliveries with their codes, accepting nothing', async () => {
    const before = (await records('to-erp')).length;
    const raw = JSON.stringify(order('TB4000'));
    const forged = await app.inject({ method: 'POST', url: '/hooks/to-erp', payload: raw, headers: signedHeaders('wrong', raw, 'f-1') });
    const stale = await app.inject({ method: 'POST', url: '/hooks/to-erp', payload: raw, headers: signedHeaders(SECRET, raw, 'f-2', Date.now() - 400_000) });
    const malformed = await app.inject({ method: 'POST', url: '/hooks/to-erp', payload: '{"orderNo":', headers: signedHeaders(SECRET, '{"orderNo":', 'f-3') });
    const big = JSON.stringify({ orderNo: 'X', blob: 'x'.repeat(1_100_000) });
    const oversized = await app.inject({ method: 'POST', url: '/hooks/to-erp', payload: big, headers: signedHeaders(SECRET, big, 'f-4') });
    const unknown = await app.inject({ method: 'POST', url: '/hooks/nope', payload: raw, headers: signedHeaders(SECRET, raw, 'f-5') });
    const noId = await post('to-erp', { status: 'x' });
    expect([forged, stale, malformed, oversized, unknown, noId].map((r) => [r.statusCode, r.json().code])).toEqual([
      [401, 'DT_WEBHOOK_SIGNATURE'],
      [401, 'DT_WEBHOOK_TIMESTAMP'],
      [400, 'DT_WEBHOOK_MALFORMED'],
      [413, 'DT_WEBHOOK_TOO_LARGE'],
      [404, 'DT_WEBHOOK_UNKNOWN_FLOW'],
      [400, 'DT_WEBHOOK_MISSING_FIELD'],
    ]);
    expect((await records('to-erp')).length).toBe(before);
  });
});

describe('HTTP target under faults', () => {
  it('retries 500s, rate limits and lost responses with the same idempotency key, then delivers once', async () => {
    witness.reset();
    witness.fail500(2);
    witness.rateLimit(1, 0);
    witness.loseResponse(1);
    const answer = await post('to-shop', { orderNo: 'E1', entity: 'E1', id: 'E1', updatedAt: '1' });
    expect(answer.statusCode).toBe(202);
    await waitFor(async () => (await records('to-shop')).find((r) => r.source_id === 'E1')?.state === 'done', { what: 'E1 done' });
    const deliveries = witness.deliveries.filter((d) => d.id === 'E1');
    expect(deliveries.length).toBe(5);
    expect(new Set(deliveries.map((d) => d.idempotencyKey)).size).toBe(1);
    expect(witness.stored().get('E1')).toBe('1');
    const row = (await records('to-shop')).find((r) => r.source_id === 'E1')!;
    expect(row.attempts).toBe(5);
  });

  it('dead-letters a record after maxAttempts while the others of other keys flow', async () => {
    witness.reset();
    witness.fail(503, 6);
    const doomed = await post('to-shop', { id: 'P1', entity: 'P1', updatedAt: '1' });
    await waitFor(async () => (await records('to-shop')).find((r) => r.source_id === 'P1')?.state === 'dead', { what: 'P1 dead' });
    await post('to-shop', { id: 'P2', entity: 'P2', updatedAt: '1' });
    await waitFor(() => witness.stored().has('P2'), { what: 'P2 delivered' });
    const letter = await hub.db.get<{ error_code: string; attempts: number }>('SELECT error_code, attempts FROM dead_letters WHERE record_id = ?', [doomed.json().recordId]);
    expect(letter).toEqual({ error_code: 'DT_RUNTIME_MAX_ATTEMPTS', attempts: 6 });
  });

  it('keeps per-key order while a key retries', async () => {
    witness.reset();
    witness.fail500(1);
    for (let v = 1; v <= 5; v++) await post('to-shop', { id: 'K1', entity: 'K1', updatedAt: String(v) });
    await waitFor(() => witness.stored().get('K1') === '5', { what: 'K1 at version 5' });
    const versions = witness.deliveries.filter((d) => d.id === 'K1').map((d) => d.version);
    expect(versions).toEqual(['1', '1', '2', '3', '4', '5']);
  });
});

describe('lookup', () => {
  it('enriches a record with its id in another system from the cross-reference, and quarantines a miss', async () => {
    witness.reset();
    await post('enrich', { orderNo: 'TB1001', updatedAt: '1' });
    const miss = await post('enrich', { orderNo: 'TB-NOWHERE', updatedAt: '1' });
    await waitFor(() => witness.records.get('TB1001'), { what: 'enriched record' });
    expect(witness.records.get('TB1001')!.data).toEqual({ id: 'TB1001', erpOrderNo: 'TB1001' });
    const letter = await waitFor(() => hub.db.get<{ error_code: string }>('SELECT error_code FROM dead_letters WHERE record_id = ?', [miss.json().recordId]));
    expect(letter!.error_code).toBe('DT_LOOKUP_NOT_FOUND');
  });
});

describe('split and aggregate', () => {
  it('splits an order into lines, filters, groups them by warehouse durably and writes each group once', async () => {
    witness.reset();
    await post('fanout', {
      orderNo: 'S1',
      updatedAt: '1',
      items: [
        { sku: 'A', qty: 1, warehouse: '上海仓' },
        { sku: 'B', qty: 0, warehouse: '上海仓' },
        { sku: 'C', qty: 3, warehouse: '北京仓' },
        { sku: 'D', qty: 2, warehouse: '上海仓' },
        { sku: 'E', qty: 5, warehouse: '北京仓' },
      ],
    });
    await waitFor(() => witness.records.size >= 2, { what: 'two group writes' });
    const groups = Object.fromEntries([...witness.records.values()].map((r) => [r.id, (r.data as { items: { sku: string }[] }).items.map((i) => i.sku).sort()]));
    expect(groups).toEqual({ 上海仓: ['A', 'D'], 北京仓: ['C', 'E'] });
    expect(witness.deliveries.filter((d) => d.result === 'applied')).toHaveLength(2);
  });
});
