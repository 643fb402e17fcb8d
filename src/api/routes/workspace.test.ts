import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';
import { REDACTED } from './redact-resource.ts';

describe('workspace routes', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ work: false });
  });
  afterAll(async () => t?.stop());

  it('lists the active snapshot and the resource ids', async () => {
    const response = await t.call('GET', '/api/v1/workspace');
    expect(response.statusCode).toBe(200);
    expect(response.data).toMatchObject({ name: '测试工作区', systems: ['erp', 'shop'], flows: ['orders'], mappings: ['order-to-erp'] });
    expect(response.data.snapshot.id).toBe(t.hub.snapshot.id);
    expect(response.data.snapshot.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shows a system with its secret redacted and a flow with its webhook secret reference', async () => {
    const erp = await t.call('GET', '/api/v1/workspace/systems/erp');
    expect(erp.statusCode).toBe(200);
    expect(erp.data.config.auth).toEqual({ type: 'bearer', token: REDACTED });
    expect(erp.body).not.toContain('erp-secret-token');
    const flow = await t.call('GET', '/api/v1/workspace/flows/orders');
    expect(flow.data.trigger.secrets).toEqual(['${env:SHOP_WEBHOOK_SECRET}']);
    const missing = await t.call('GET', '/api/v1/workspace/flows/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.data.code).toBe('DT_CONFIG_NOT_FOUND');
  });

  it('writes a flow back keeping its YAML comment, and applies it as the next snapshot', async () => {
    const before = t.hub.snapshot.id;
    const flow = (await t.call('GET', '/api/v1/workspace/flows/orders')).data;
    const response = await t.call('PUT', '/api/v1/workspace/flows/orders', { ...flow, description: '网店订单推送到 ERP（改）' });
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ snapshot: before + 1, created: true });
    const text = await readFile(join(t.dir, 'flows/orders.yaml'), 'utf8');
    expect(text).toContain('# 网店订单实时推送到 ERP');
    expect(text).toContain('description: 网店订单推送到 ERP（改）');
    expect(text).toContain('${env:SHOP_WEBHOOK_SECRET}');
    expect(t.hub.snapshot.workspace.flows.orders.description).toBe('网店订单推送到 ERP（改）');
    const audit = await t.hub.audit.list({ action: 'config.write' });
    expect(audit.entries[0]).toMatchObject({ target: 'flows/orders', actor: 'token:initial-admin' });
  });

  it('keeps a redacted secret when the resource is sent back with the marker', async () => {
    const erp = (await t.call('GET', '/api/v1/workspace/systems/erp')).data;
    const response = await t.call('PUT', '/api/v1/workspace/systems/erp', { ...erp, description: 'ERP（新）' });
    expect(response.statusCode).toBe(200);
    const text = await readFile(join(t.dir, 'systems/erp.yaml'), 'utf8');
    expect(text).toContain('token: erp-secret-token');
    expect(text).not.toContain(REDACTED);
  });

  it('refuses a flow that breaks the workspace with 400 and findings, and leaves the file as it was', async () => {
    const path = join(t.dir, 'flows/orders.yaml');
    const original = await readFile(path, 'utf8');
    const snapshot = t.hub.snapshot.id;
    const flow = (await t.call('GET', '/api/v1/workspace/flows/orders')).data;
    flow.steps[0].mapping = 'no-such-mapping';
    const response = await t.call('PUT', '/api/v1/workspace/flows/orders', flow);
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe('DT_CONFIG_INVALID');
    expect(response.data.details.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'flows/orders.yaml', code: 'DT_CONFIG_UNKNOWN_MAPPING', line: expect.any(Number) })]),
    );
    expect(await readFile(path, 'utf8')).toBe(original);
    expect(t.hub.snapshot.id).toBe(snapshot);
  });

  it('refuses a value that does not fit the schema before touching the file', async () => {
    const path = join(t.dir, 'flows/orders.yaml');
    const original = await readFile(path, 'utf8');
    const response = await t.call('PUT', '/api/v1/workspace/flows/orders', { trigger: { type: 'webhook' }, steps: [], colour: 'red' });
    expect(response.statusCode).toBe(400);
    expect(response.data.code).toBe('DT_CONFIG_SCHEMA');
    expect(response.data.details.findings.length).toBeGreaterThan(0);
    expect(await readFile(path, 'utf8')).toBe(original);
  });

  it('refuses to delete a system a flow still writes to, and restores its file', async () => {
    const path = join(t.dir, 'systems/erp.yaml');
    const original = await readFile(path, 'utf8');
    const response = await t.call('DELETE', '/api/v1/workspace/systems/erp');
    expect(response.statusCode).toBe(400);
    expect(response.data.details.findings.some((finding: { code: string }) => finding.code === 'DT_CONFIG_UNKNOWN_SYSTEM')).toBe(true);
    expect(await readFile(path, 'utf8')).toBe(original);
  });

  it('creates and deletes a new mapping, each change a new snapshot', async () => {
    const start = t.hub.snapshot.id;
    const created = await t.call('PUT', '/api/v1/workspace/mappings/customer-to-erp', { fields: { name: 'customerName', phone: 'mobile' } });
    expect(created.data).toEqual({ snapshot: start + 1, created: true });
    expect(await readFile(join(t.dir, 'mappings/customer-to-erp.yaml'), 'utf8')).toContain('name: customerName');
    const deleted = await t.call('DELETE', '/api/v1/workspace/mappings/customer-to-erp');
    expect(deleted.data).toEqual({ snapshot: start + 2, created: true });
    await expect(readFile(join(t.dir, 'mappings/customer-to-erp.yaml'), 'utf8')).rejects.toThrow();
  });

  it('applies the folder: unchanged files make no snapshot', async () => {
    const response = await t.call('POST', '/api/v1/workspace/apply');
    expect(response.statusCode).toBe(200);
    expect(response.data).toEqual({ snapshot: t.hub.snapshot.id, created: false });
  });

  it('pages snapshots newest first with a cursor', async () => {
    const first = await t.call('GET', '/api/v1/snapshots?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.data.items.map((item: { id: number }) => item.id)).toEqual([t.hub.snapshot.id, t.hub.snapshot.id - 1]);
    expect(first.data.nextCursor).toEqual(expect.any(String));
    const second = await t.call('GET', `/api/v1/snapshots?limit=2&cursor=${first.data.nextCursor}`);
    expect(second.data.items[0].id).toBe(t.hub.snapshot.id - 2);
    const bad = await t.call('GET', '/api/v1/snapshots?cursor=%%%');
    expect(bad.statusCode).toBe(400);
  });
});
