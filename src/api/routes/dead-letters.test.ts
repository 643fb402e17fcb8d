import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';

/** An order without a buyer name: the mapping's `required` rule dead-letters it at once. */
const nameless = (orderNo: string) => ({ orderNo, buyer: { name: '  ' }, totalFen: 12345 });

describe('dead-letter routes', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t?.stop());

  async function deadLetterOf(recordId: string) {
    await t.waitForState(recordId, ['dead']);
    const list = await t.call('GET', '/api/v1/dead-letters?flow=orders&state=open&limit=500');
    const entry = list.data.items.find((item: { recordId: string }) => item.recordId === recordId);
    expect(entry).toBeDefined();
    return entry as { id: string; recordId: string };
  }

  it('edit → replay → the record is done and the target has it', async () => {
    const recordId = await t.send('orders', nameless('SO-1001'));
    const entry = await deadLetterOf(recordId);
    const shown = await t.call('GET', `/api/v1/dead-letters/${entry.id}`);
    expect(shown.data).toMatchObject({ flow: 'orders', state: 'open', errorCode: 'DT_MAP_REQUIRED', step: 'to-erp-order', payload: nameless('SO-1001') });

    const edited = await t.call('PATCH', `/api/v1/dead-letters/${entry.id}`, { payload: { orderNo: 'SO-1001', buyer: { name: '张三' }, totalFen: 12345 } });
    expect(edited.statusCode).toBe(200);
    expect(edited.data.payload.buyer.name).toBe('张三');
    expect(edited.data.originalPayload.buyer.name).toBe('  ');

    const replayed = await t.call('POST', `/api/v1/dead-letters/${entry.id}/replay`);
    expect(replayed.statusCode).toBe(200);
    expect(replayed.data).toMatchObject({ state: 'replayed', resolvedBy: 'token:initial-admin' });
    await t.waitForState(recordId, ['done']);
    expect(t.erp.records.get('SO-1001')).toBeDefined();

    const again = await t.call('POST', `/api/v1/dead-letters/${entry.id}/replay`);
    expect(again.statusCode).toBe(409);
    expect(again.data.code).toBe('DT_DEAD_LETTER_STATE');

    const actions = (await t.hub.audit.list({ target: `deadletter:${entry.id}` })).entries.map((row) => row.action);
    expect(actions).toEqual(['deadletter.replay', 'deadletter.edit']);
  });

  it('discards, and an unknown id is 404', async () => {
    const entry = await deadLetterOf(await t.send('orders', nameless('SO-1002')));
    const discarded = await t.call('POST', `/api/v1/dead-letters/${entry.id}/discard`);
    expect(discarded.data.state).toBe('discarded');
    expect((await t.call('GET', '/api/v1/dead-letters/01NOSUCHDEADLETTER')).statusCode).toBe(404);
  });

  it('pages with limit and cursor without repeating or skipping an entry', async () => {
    for (const orderNo of ['SO-2001', 'SO-2002', 'SO-2003']) await deadLetterOf(await t.send('orders', nameless(orderNo)));
    const all = (await t.call('GET', '/api/v1/dead-letters?state=open&limit=500')).data.items.map((item: { id: string }) => item.id);
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: { items: { id: string }[]; nextCursor: string | null } } = await t.call(
        'GET',
        `/api/v1/dead-letters?state=open&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.data.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.items.map((item) => item.id));
      cursor = page.data.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await t.call('GET', '/api/v1/dead-letters?limit=501')).statusCode).toBe(400);
  });

  it('bulk-replays a flow and counts what it did', async () => {
    const open = (await t.call('GET', '/api/v1/dead-letters?state=open&flow=orders&limit=500')).data.items as { id: string }[];
    expect(open.length).toBeGreaterThanOrEqual(3);
    const refused = await t.call('POST', '/api/v1/dead-letters/replay', {});
    expect(refused.statusCode).toBe(400);
    const result = await t.call('POST', '/api/v1/dead-letters/replay', { flow: 'orders' });
    expect(result.data).toEqual({ replayed: open.length, skipped: 0, notFound: 0 });
    const byIds = await t.call('POST', '/api/v1/dead-letters/replay', { ids: [open[0].id, 'missing-id'] });
    expect(byIds.data).toEqual({ replayed: 0, skipped: 1, notFound: 1 });
  });
});
