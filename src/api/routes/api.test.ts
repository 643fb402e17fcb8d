import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkXref } from '../../store/xref.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';

describe('API: auth, OpenAPI, audit, preview, xref, systems, tokens', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ work: false });
  });
  afterAll(async () => t?.stop());

  it('answers 401 without a token and with a wrong one', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/status' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'DT_API_UNAUTHENTICATED', message: expect.any(String) });
    const wrong = await t.app.inject({ method: 'GET', url: '/api/v1/dead-letters', headers: { authorization: 'Bearer dt_nope' } });
    expect(wrong.statusCode).toBe(401);
  });

  it('answers 403 to a viewer on a write route, 200 on a read route', async () => {
    const viewer = await t.token('viewer');
    const read = await t.call('GET', '/api/v1/workspace', undefined, viewer);
    expect(read.statusCode).toBe(200);
    const write = await t.call('POST', '/api/v1/workspace/apply', undefined, viewer);
    expect(write.statusCode).toBe(403);
    expect(write.data.code).toBe('DT_API_FORBIDDEN');
    const tokens = await t.call('POST', '/api/v1/tokens', { name: 'x', role: 'admin' }, viewer);
    expect(tokens.statusCode).toBe(403);
  });

  it('documents every route in the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as { paths: Record<string, Record<string, { summary?: string; tags?: string[] }>> };
    const expected: [string, string][] = [
      ['/api/v1/workspace', 'get'],
      ['/api/v1/workspace/{kind}/{id}', 'put'],
      ['/api/v1/workspace/{kind}/{id}', 'delete'],
      ['/api/v1/workspace/apply', 'post'],
      ['/api/v1/snapshots', 'get'],
      ['/api/v1/runs', 'get'],
      ['/api/v1/records', 'get'],
      ['/api/v1/records/{id}/trace', 'get'],
      ['/api/v1/dead-letters', 'get'],
      ['/api/v1/dead-letters/{id}', 'patch'],
      ['/api/v1/dead-letters/{id}/replay', 'post'],
      ['/api/v1/dead-letters/{id}/discard', 'post'],
      ['/api/v1/dead-letters/replay', 'post'],
      ['/api/v1/mappings/preview', 'post'],
      ['/api/v1/tokens', 'get'],
      ['/api/v1/tokens', 'post'],
      ['/api/v1/tokens/{id}', 'delete'],
      ['/api/v1/audit', 'get'],
      ['/api/v1/audit/verify', 'get'],
      ['/api/v1/status', 'get'],
      ['/api/v1/xref/{entity}/{canonicalId}', 'get'],
      ['/api/v1/xref/{entity}/lookup', 'get'],
      ['/api/v1/xref/{entity}/{system}/{id}', 'delete'],
      ['/api/v1/systems/{id}/check', 'post'],
      ['/api/v1/systems/{id}/discover', 'get'],
    ];
    for (const [path, method] of expected) {
      const operation = doc.paths[path]?.[method];
      expect(operation, `${method.toUpperCase()} ${path}`).toBeDefined();
      expect(operation.summary).toEqual(expect.any(String));
      expect(operation.tags?.length).toBeGreaterThan(0);
    }
  });

  it('creates a token once, lists it without the secret, and revokes it', async () => {
    const created = await t.call('POST', '/api/v1/tokens', { name: '财务对账脚本', role: 'operator' });
    expect(created.statusCode).toBe(201);
    expect(created.data.token).toEqual(expect.any(String));
    const works = await t.call('GET', '/api/v1/status', undefined, created.data.token);
    expect(works.statusCode).toBe(200);
    const list = await t.call('GET', '/api/v1/tokens');
    const listed = list.data.items.find((item: { id: string }) => item.id === created.data.id);
    expect(listed).toMatchObject({ name: '财务对账脚本', role: 'operator' });
    expect(list.body).not.toContain(created.data.token);
    const revoked = await t.call('DELETE', `/api/v1/tokens/${created.data.id}`);
    expect(revoked.statusCode).toBe(200);
    expect((await t.call('GET', '/api/v1/status', undefined, created.data.token)).statusCode).toBe(401);
    const actions = (await t.hub.audit.list({ target: `token:${created.data.id}` })).entries.map((entry) => entry.action);
    expect(actions).toEqual(['token.revoke', 'token.create']);
    expect((await t.call('POST', '/api/v1/tokens', { name: 'x', role: 'emperor' })).statusCode).toBe(400);
  });

  it('pages the audit log and verifies its chain', async () => {
    const first = await t.call('GET', '/api/v1/audit?limit=1');
    expect(first.data.items).toHaveLength(1);
    expect(first.data.nextCursor).toEqual(expect.any(String));
    const second = await t.call('GET', `/api/v1/audit?limit=1&cursor=${first.data.nextCursor}`);
    expect(second.data.items[0].seq).toBe(first.data.items[0].seq - 1);
    const verify = await t.call('GET', '/api/v1/audit/verify');
    expect(verify.data).toMatchObject({ ok: true, count: first.data.items[0].seq, head: { seq: first.data.items[0].seq } });
    await t.hub.db.run(`UPDATE audit_log SET actor = 'mallory' WHERE seq = 1`);
    const broken = await t.call('GET', '/api/v1/audit/verify');
    expect(broken.data).toMatchObject({ ok: false, seq: 1 });
  });

  it('previews a saved mapping and an unsaved one, per sample', async () => {
    const saved = await t.call('POST', '/api/v1/mappings/preview', {
      mappingId: 'order-to-erp',
      samples: [{ orderNo: 'SO-1', buyer: { name: '王五' }, totalFen: 100 }, { orderNo: 'SO-2', buyer: {} }],
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.data.items[0]).toEqual({ ok: true, output: { id: 'SO-1', customer: '王五', amount: '1.00' } });
    expect(saved.data.items[1]).toMatchObject({ ok: false, error: { code: 'DT_MAP_REQUIRED', where: { field: 'customer', path: 'buyer.name' } } });

    const unsaved = await t.call('POST', '/api/v1/mappings/preview', {
      mapping: { fields: { total: { expr: 'price * qty +' } } },
      samples: [{ price: 2, qty: 3 }],
    });
    expect(unsaved.data.items[0]).toMatchObject({ ok: false, error: { code: 'DT_MAP_EXPRESSION_SYNTAX', where: { field: 'total' } } });
    expect(unsaved.data.items[0].error.params.position).toEqual(expect.any(Number));

    const invalid = await t.call('POST', '/api/v1/mappings/preview', { mapping: { fields: {}, colour: 'red' }, samples: [] });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.data.details.findings[0]).toMatchObject({ code: expect.stringMatching(/^DT_CONFIG_/) });
    expect((await t.call('POST', '/api/v1/mappings/preview', { mappingId: 'nope', samples: [] })).statusCode).toBe(404);
  });

  it('looks up, shows and unlinks cross-references', async () => {
    const canonicalId = await t.hub.db.transaction((tx) => linkXref(tx, { entity: 'sales-order', fromSystem: 'shop', fromId: 'SO-9', system: 'erp', systemId: 'XS-0009' }));
    const shown = await t.call('GET', `/api/v1/xref/sales-order/${canonicalId}`);
    expect(shown.data.items.map((item: { system: string; systemId: string }) => `${item.system}:${item.systemId}`)).toEqual(['erp:XS-0009', 'shop:SO-9']);
    const found = await t.call('GET', '/api/v1/xref/sales-order/lookup?system=shop&id=SO-9');
    expect(found.data.canonicalId).toBe(canonicalId);
    const unlinked = await t.call('DELETE', '/api/v1/xref/sales-order/erp/XS-0009');
    expect(unlinked.data).toEqual({ unlinked: true });
    expect((await t.call('GET', `/api/v1/xref/sales-order/${canonicalId}`)).data.items).toHaveLength(1);
    expect((await t.call('DELETE', '/api/v1/xref/sales-order/erp/XS-0009')).statusCode).toBe(404);
  });

  it('checks a system through its connector', async () => {
    const ok = await t.call('POST', '/api/v1/systems/erp/check');
    expect(ok.statusCode).toBe(200);
    expect(ok.data.ok).toBe(true);
    const down = await t.call('POST', '/api/v1/systems/shop/check');
    expect(down.data.ok).toBe(false);
    expect(down.body).not.toContain('erp-secret-token');
    expect((await t.call('POST', '/api/v1/systems/nope/check')).statusCode).toBe(404);
    const discover = await t.call('GET', '/api/v1/systems/erp/discover');
    expect(discover.statusCode).toBe(400);
    expect(discover.data.code).toBe('DT_CONFIG_CAPABILITY');
  });
});
