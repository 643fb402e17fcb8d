import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';

describe('runs and trace routes', () => {
  let t: TestHub;
  let recordId: string;
  beforeAll(async () => {
    t = await startTestHub();
    recordId = await t.send('orders', { orderNo: 'SO-3001', buyer: { name: ' 李四 ' }, totalFen: 99900 }, 'SO-3001');
    await t.waitForState(recordId, ['done']);
  });
  afterAll(async () => t?.stop());

  it('traces a record hop by hop and audits the read', async () => {
    const before = (await t.hub.audit.list({ action: 'trace.read' })).entries.length;
    const response = await t.call('GET', `/api/v1/records/${recordId}/trace`);
    expect(response.statusCode).toBe(200);
    const { record, runs } = response.data;
    expect(record).toMatchObject({ id: recordId, flow: 'orders', sourceId: 'SO-3001', state: 'done', attempts: 1 });
    expect(runs).toHaveLength(1);
    const [map, write] = runs[0].hops;
    expect(map).toMatchObject({ step: 'to-erp-order', type: 'map', input: record.payload, output: { id: 'SO-3001', customer: '李四', amount: '999.00' } });
    expect(map.ms).toEqual(expect.any(Number));
    expect(write).toMatchObject({ step: 'write-erp', type: 'write', input: { id: 'SO-3001', customer: '李四', amount: '999.00' } });
    const audit = (await t.hub.audit.list({ action: 'trace.read' })).entries;
    expect(audit.length).toBe(before + 1);
    expect(audit[0]).toMatchObject({ actor: 'token:initial-admin', target: `record:${recordId}`, details: { flow: 'orders' } });
  });

  it('an unknown record is 404 and is not audited', async () => {
    const before = (await t.hub.audit.list({ action: 'trace.read' })).entries.length;
    const response = await t.call('GET', '/api/v1/records/nope/trace');
    expect(response.statusCode).toBe(404);
    expect((await t.hub.audit.list({ action: 'trace.read' })).entries.length).toBe(before);
  });

  it('finds records by source id and lists runs by flow and outcome', async () => {
    const found = await t.call('GET', '/api/v1/records?sourceId=SO-3001&flow=orders');
    expect(found.data.items).toEqual([expect.objectContaining({ id: recordId, state: 'done' })]);
    expect((await t.call('GET', '/api/v1/records')).statusCode).toBe(400);
    const runs = await t.call('GET', '/api/v1/runs?flow=orders&outcome=done');
    expect(runs.data.items[0]).toMatchObject({ recordId, flow: 'orders', outcome: 'done', attempt: 1 });
    expect(runs.data.items[0].hops).toBeUndefined();
    expect((await t.call('GET', '/api/v1/runs?outcome=exploded')).statusCode).toBe(400);
  });

  it('status shows the flow', async () => {
    const status = await t.call('GET', '/api/v1/status');
    expect(status.statusCode).toBe(200);
    expect(status.data.snapshot.id).toBe(t.hub.snapshot.id);
    expect(status.data.recentFailures.windowMinutes).toBe(60);
    expect(Array.isArray(status.data.queue)).toBe(true);
  });
});
