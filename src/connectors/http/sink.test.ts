import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WriteOutcome } from '../../sdk/connector.ts';
import type { HttpAuth } from './spec.ts';
import { httpSink, recordingLogger, writeItem, writeOne } from './testing/sink-fixtures.ts';
import { WitnessServer } from './testing/witness-server.ts';

const signal = () => new AbortController().signal;

function failure(outcome: WriteOutcome) {
  if (outcome.status !== 'failed') throw new Error(`expected a failed outcome, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

describe('http sink: authentication is verified by the target', () => {
  const cases: { name: string; auth: HttpAuth; wrong: HttpAuth }[] = [
    { name: 'basic', auth: { type: 'basic', username: '张三', password: 'mima-123' }, wrong: { type: 'basic', username: '张三', password: 'mima-124' } },
    { name: 'bearer', auth: { type: 'bearer', token: 'tok-abc-123' }, wrong: { type: 'bearer', token: 'tok-abc-999' } },
    { name: 'api-key header', auth: { type: 'api-key', in: 'header', name: 'X-Api-Key', value: 'k-header-1' }, wrong: { type: 'api-key', in: 'header', name: 'X-Api-Key', value: 'nope' } },
    { name: 'api-key query', auth: { type: 'api-key', in: 'query', name: 'appkey', value: 'k&q=1' }, wrong: { type: 'api-key', in: 'query', name: 'appkey', value: 'k' } },
    { name: 'none', auth: { type: 'none' }, wrong: { type: 'bearer', token: 'irrelevant' } },
  ];

  for (const { name, auth, wrong } of cases) {
    it(`${name}: right credentials write, wrong ones fail with DT_TARGET_AUTH`, async () => {
      const server = await WitnessServer.start({ auth });
      try {
        const good = httpSink(server.url, { auth });
        expect(await writeOne(good, writeItem({ id: 'C001', 名称: '华东贸易' }))).toEqual({ status: 'written', targetId: 'C001' });
        expect((await good.check!(signal())).ok).toBe(true);
        await good.close();

        const bad = httpSink(server.url, { auth: wrong });
        const outcome = await writeOne(bad, writeItem({ id: 'C002', 名称: '华南贸易' }));
        if (name === 'none') {
          expect(outcome.status).toBe('written');
        } else {
          const error = failure(outcome);
          expect([error.code, error.retryable]).toEqual(['DT_TARGET_AUTH', false]);
          const check = await bad.check!(signal());
          expect(check.ok).toBe(false);
          expect(check.message).toMatch(/credentials/);
          expect([...server.stored().keys()]).toEqual(['C001']);
        }
        await bad.close();
      } finally {
        await server.close();
      }
    });
  }
});

describe('http sink: outcomes', () => {
  let server: WitnessServer;
  const open: { close(): Promise<void> }[] = [];
  const sink = (config = {}) => {
    const connector = httpSink(`${server.url}/api`, config);
    open.push(connector);
    return connector;
  };

  beforeAll(async () => {
    server = await WitnessServer.start();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((connector) => connector.close()));
    await server.up();
    server.reset();
  });
  afterAll(() => server.close());

  it('sends the idempotency key, version, content type and URL-encoded path', async () => {
    const outcome = await writeOne(sink(), writeItem({ id: '客户/001', 名称: '北京分公司' }, { version: '7' }));
    expect(outcome).toEqual({ status: 'written', targetId: '客户/001' });
    expect(server.deliveries).toEqual([
      expect.objectContaining({ method: 'PUT', path: `/api/customers/${encodeURIComponent('客户/001')}`, idempotencyKey: `key-${encodeURIComponent('客户/001')}`, version: '7' }),
    ]);
  });

  it('fails an item whose path placeholder has no value, without sending it', async () => {
    const error = failure(await writeOne(sink(), writeItem({ 名称: '无编号' })));
    expect([error.code, error.retryable, error.params.field]).toEqual(['DT_MAP_REQUIRED', false, 'id']);
    expect(server.deliveries).toEqual([]);
  });

  it('409 saying duplicate → unchanged duplicate; 409 saying stale → unchanged stale; other 409 → rejected', async () => {
    server.fail(409, 1, { body: { error: 'Duplicate request: order already exists', id: 'SO-1' } });
    expect(await writeOne(sink(), writeItem({ id: 'SO-1' }))).toEqual({ status: 'unchanged', reason: 'duplicate', targetId: 'SO-1' });

    const connector = sink();
    expect((await writeOne(connector, writeItem({ id: 'SO-2' }, { version: '2026-11-21T10:00:00+08:00' }))).status).toBe('written');
    const older = await writeOne(connector, writeItem({ id: 'SO-2' }, { version: '2026-11-21T09:00:00+08:00' }));
    expect(older).toMatchObject({ status: 'unchanged', reason: 'stale' });

    server.fail(409, 1, { body: { error: '单据已被他人锁定' } });
    const error = failure(await writeOne(sink(), writeItem({ id: 'SO-3' })));
    expect([error.code, error.retryable]).toEqual(['DT_TARGET_REJECTED', false]);
  });

  it('429 → DT_TARGET_RATE_LIMITED with Retry-After seconds', async () => {
    server.rateLimit(1, 7);
    const error = failure(await writeOne(sink(), writeItem({ id: 'R1' })));
    expect([error.code, error.retryable, error.retryAfterMs]).toEqual(['DT_TARGET_RATE_LIMITED', true, 7000]);
  });

  it('503 → DT_TARGET_SERVER_ERROR with Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 30_000);
    server.fail(503, 1, { headers: { 'retry-after': at.toUTCString() } });
    const error = failure(await writeOne(sink(), writeItem({ id: 'R2' })));
    expect([error.code, error.retryable, error.params.status]).toEqual(['DT_TARGET_SERVER_ERROR', true, 503]);
    expect(error.retryAfterMs).toBeGreaterThan(25_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it.each([500, 502, 504])('%i → DT_TARGET_SERVER_ERROR, retryable', async (status) => {
    server.fail(status);
    const error = failure(await writeOne(sink(), writeItem({ id: 'R3' })));
    expect([error.code, error.retryable, error.params.status, error.retryAfterMs]).toEqual(['DT_TARGET_SERVER_ERROR', true, status, undefined]);
    expect(server.stored().size).toBe(0);
  });

  it.each([401, 403])('%i → DT_TARGET_AUTH, not retryable', async (status) => {
    server.fail(status);
    const error = failure(await writeOne(sink(), writeItem({ id: 'R4' })));
    expect([error.code, error.retryable]).toEqual(['DT_TARGET_AUTH', false]);
  });

  it.each([400, 404, 422])('%i → DT_TARGET_REJECTED with a truncated, secret-free body excerpt', async (status) => {
    const token = 'sk-live-9f8e7d';
    server.fail(status, 1, { body: { error: `bad field 数量; you sent token ${token}`, padding: 'x'.repeat(2_000) } });
    const error = failure(await writeOne(sink({ headers: { 'x-tenant': 'acme' }, auth: { type: 'bearer', token } }), writeItem({ id: 'R5' })));
    expect([error.code, error.retryable]).toEqual(['DT_TARGET_REJECTED', false]);
    expect(error.details).toMatchObject({ status, body: expect.stringContaining('bad field 数量') });
    expect((error.details!.body as string).length).toBeLessThanOrEqual(500);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it('connection refused → DT_TARGET_UNAVAILABLE, retryable; check() reports unreachable', async () => {
    await server.down();
    const connector = sink();
    const error = failure(await writeOne(connector, writeItem({ id: 'R6' })));
    expect([error.code, error.retryable]).toEqual(['DT_TARGET_UNAVAILABLE', true]);
    expect((await connector.check!(signal())).ok).toBe(false);
  });

  it('no answer within timeoutMs → DT_TARGET_TIMEOUT, retryable', async () => {
    server.hang(1_500);
    const started = Date.now();
    const error = failure(await writeOne(sink({ timeoutMs: 200 }), writeItem({ id: 'R7' })));
    expect([error.code, error.retryable, error.params.timeoutMs]).toEqual(['DT_TARGET_TIMEOUT', true, 200]);
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it('a lost response, then the retry: one stored record, the same key on both deliveries', async () => {
    server.loseResponse(1);
    const connector = sink();
    const item = writeItem({ id: 'SO-9', 金额: '1288.00' }, { version: '3' });
    const first = failure(await writeOne(connector, item));
    expect([first.code, first.retryable]).toEqual(['DT_TARGET_UNAVAILABLE', true]);
    expect(await writeOne(connector, item)).toEqual({ status: 'unchanged', reason: 'duplicate', targetId: 'SO-9' });
    expect(server.records.get('SO-9')).toMatchObject({ version: '3', writes: 1 });
    expect(server.deliveries.map((entry) => [entry.idempotencyKey, entry.result])).toEqual([
      ['key-SO-9', 'applied'],
      ['key-SO-9', 'replayed'],
    ]);
  });

  it('after a rate limit, the rest of the batch is not sent', async () => {
    server.rateLimit(1, 2);
    const items = ['A', 'B', 'C'].map((id) => writeItem({ id }));
    const outcomes = await sink({ maxConnections: 1 }).write!({ options: { path: '/c/{id}' }, items }, signal());
    expect(outcomes.map((outcome) => failure(outcome).code)).toEqual(['DT_TARGET_RATE_LIMITED', 'DT_TARGET_RATE_LIMITED', 'DT_TARGET_RATE_LIMITED']);
    expect(outcomes.map((outcome) => failure(outcome).where.recordId)).toEqual(['rec-A', 'rec-B', 'rec-C']);
    expect(failure(outcomes[2]).details).toMatchObject({ notSent: true });
    expect(server.deliveries).toHaveLength(1);
  });

  it('an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('停止');
    controller.abort(reason);
    await expect(sink().write!({ options: { path: '/c/{id}' }, items: [writeItem({ id: 'X' })] }, controller.signal)).rejects.toBe(reason);
    server.hang(5_000);
    const later = new AbortController();
    const pending = sink().write!({ options: { path: '/c/{id}' }, items: [writeItem({ id: 'Y' })] }, later.signal);
    setTimeout(() => later.abort(reason), 50);
    await expect(pending).rejects.toBe(reason);
  });

  it('never logs credentials', async () => {
    const logger = recordingLogger();
    const secrets = { password: 'pw-Secret-42', token: 'tk-Secret-43', key: 'ak-Secret-44' };
    const configs = [
      { auth: { type: 'basic', username: 'u', password: secrets.password } },
      { auth: { type: 'bearer', token: secrets.token } },
      { auth: { type: 'api-key', in: 'query', name: 'appkey', value: secrets.key } },
    ] as const;
    server.fail(400, 3, { body: { error: `echo ${secrets.token} ${secrets.key} ${secrets.password}` } });
    for (const config of configs) {
      const connector = httpSink(`${server.url}/api`, config, logger);
      await writeOne(connector, writeItem({ id: 'L1' }));
      await connector.close();
    }
    await server.down();
    for (const config of configs) {
      const connector = httpSink(`${server.url}/api`, config, logger);
      await writeOne(connector, writeItem({ id: 'L2' }));
      await connector.check!(signal());
      await connector.close();
    }
    const logged = JSON.stringify(logger.lines);
    expect(logger.lines.length).toBeGreaterThan(6);
    for (const secret of Object.values(secrets)) expect(logged).not.toContain(secret);
    expect(logged).not.toContain(Buffer.from(`u:${secrets.password}`).toString('base64'));
  });
});

describe('http sink: body timeout', () => {
  it('headers arrive, the body stalls → DT_TARGET_TIMEOUT', async () => {
    const stalling = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"id":');
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const { port } = stalling.address() as AddressInfo;
    const connector = httpSink(`http://127.0.0.1:${port}`, { timeoutMs: 200 });
    try {
      const error = failure(await writeOne(connector, writeItem({ id: 'B1' })));
      expect([error.code, error.retryable]).toEqual(['DT_TARGET_TIMEOUT', true]);
    } finally {
      await connector.close();
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });
});
