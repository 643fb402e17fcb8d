import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DatongError } from '../../errors/datong-error.ts';
import { headerValue } from './sink.ts';
import { httpSink, writeItem } from './testing/sink-fixtures.ts';
import { WitnessServer } from './testing/witness-server.ts';

const signal = () => new AbortController().signal;

describe('http sink: what goes on the wire', () => {
  let server: http.Server;
  let url: string;
  const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"T-1"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    seen.length = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends JSON with the idempotency key, the version and the static headers; auth wins over static headers', async () => {
    const connector = httpSink(`${url}/open/v2/`, {
      headers: { 'X-Tenant': 'east', Authorization: 'static-must-lose' },
      auth: { type: 'bearer', token: 't-1' },
    });
    const items = [writeItem({ id: 'A', 名称: '甲' }, { version: '5' }), writeItem({ id: 'B' })];
    const outcomes = await connector.write!({ options: { method: 'PATCH', path: '/items/{id}?lang=zh' }, items }, signal());
    expect(outcomes).toEqual([
      { status: 'written', targetId: 'T-1' },
      { status: 'written', targetId: 'T-1' },
    ]);
    const byId = new Map(seen.map((request) => [JSON.parse(request.body).id as string, request]));
    const a = byId.get('A')!;
    expect(a.method).toBe('PATCH');
    expect(a.url).toBe('/open/v2/items/A?lang=zh');
    expect(JSON.parse(a.body)).toEqual({ id: 'A', 名称: '甲' });
    expect(a.headers).toMatchObject({
      'content-type': 'application/json',
      'idempotency-key': 'key-A',
      'x-datong-version': '5',
      'x-tenant': 'east',
      authorization: 'Bearer t-1',
    });
    expect(byId.get('B')!.headers['x-datong-version']).toBeUndefined();
    await connector.close();
  });

  it('defaults to POST; an api key in the query joins an existing query string', async () => {
    const connector = httpSink(url, { auth: { type: 'api-key', in: 'query', name: 'app key', value: 'v&1' } });
    await connector.write!({ options: { path: '/items?x=1' }, items: [writeItem({ id: 'C' })] }, signal());
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/items?x=1&app%20key=v%261' });
    await connector.close();
  });

  it('check() sends HEAD to the base URL', async () => {
    const connector = httpSink(`${url}/base`);
    expect(await connector.check!(signal())).toMatchObject({ ok: true, message: expect.stringContaining('200') });
    expect(seen[0]).toMatchObject({ method: 'HEAD', url: '/base/' });
    await connector.close();
  });

  it('header values outside visible ASCII are percent-encoded', () => {
    expect(headerValue('flow:crm:C-001')).toBe('flow:crm:C-001');
    expect(headerValue('flow:crm:客户')).toBe(`flow:crm:${encodeURIComponent('客户')}`.replace(/:/g, '%3A'));
  });
});

describe('http sink: batch mode', () => {
  let server: WitnessServer;
  beforeAll(async () => {
    server = await WitnessServer.start();
  });
  beforeEach(() => server.reset());
  afterAll(() => server.close());

  const options = { method: 'POST', path: '/customers/batch', batch: { maxItems: 2 } };
  const batch = () => ['B1', 'B2', 'B3', 'B4', 'B5'].map((id, i) => writeItem({ id, version: String(i + 1), 名称: `客户${id}` }));

  it('sends arrays of at most maxItems and reads per-element results', async () => {
    const connector = httpSink(server.url);
    const outcomes = await connector.write!({ options, items: batch() }, signal());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['written', 'written', 'written', 'written', 'written']);
    expect(server.stored()).toEqual(new Map([['B1', '1'], ['B2', '2'], ['B3', '3'], ['B4', '4'], ['B5', '5']]));
    const keys = new Set(server.deliveries.map((entry) => entry.idempotencyKey));
    expect(keys.size).toBe(3);

    const again = await connector.write!({ options, items: batch() }, signal());
    expect(again.map((outcome) => outcome.status === 'unchanged' && outcome.reason)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(new Set(server.deliveries.map((entry) => entry.idempotencyKey))).toEqual(keys);
    await connector.close();
  });

  it('maps element errors and stale elements to their items', async () => {
    const connector = httpSink(server.url);
    await connector.write!({ options, items: [writeItem({ id: 'S1', version: '9' })] }, signal());
    const items = [writeItem({ id: 'S1', version: '8' }), writeItem({ 名称: '没有编号' }, { recordId: 'rec-no-id' })];
    const [stale, rejected] = await connector.write!({ options, items }, signal());
    expect(stale).toEqual({ status: 'unchanged', reason: 'stale', targetId: 'S1' });
    expect(rejected.status === 'failed' && [rejected.error.code, rejected.error.retryable, rejected.error.where.recordId]).toEqual([
      'DT_TARGET_REJECTED',
      false,
      'rec-no-id',
    ]);
    await connector.close();
  });

  it('a failed batch request fails each of its items', async () => {
    server.fail500(1);
    const connector = httpSink(server.url, { maxConnections: 1 });
    const outcomes = await connector.write!({ options, items: batch() }, signal());
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['failed', 'failed', 'written', 'written', 'written']);
    await connector.close();
  });

  it('refuses a batch path with placeholders', async () => {
    const connector = httpSink(server.url);
    const write = connector.write!({ options: { path: '/c/{id}', batch: { maxItems: 5 } }, items: batch() }, signal());
    await expect(write).rejects.toBeInstanceOf(DatongError);
    await expect(write).rejects.toMatchObject({ code: 'DT_CONFIG_INVALID' });
  });
});
