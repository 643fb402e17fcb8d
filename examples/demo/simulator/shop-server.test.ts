import { afterEach, describe, expect, it } from 'vitest';
import { Random } from './random.ts';
import { ShopServer } from './shop-server.ts';

const TOKEN = 'test-token';
let server: ShopServer | undefined;

async function start(rateLimitShare = 0): Promise<string> {
  server = new ShopServer({ host: '127.0.0.1', port: 0, token: TOKEN, random: new Random(1), rateLimitShare });
  return `http://127.0.0.1:${await server.listen()}`;
}

function put(base: string, sku: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/stock/${encodeURIComponent(sku)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('demo shop API', () => {
  it('refuses a push without the bearer token', async () => {
    const base = await start();
    const response = await fetch(`${base}/api/stock/SKU-1001`, { method: 'PUT', body: '{}' });
    expect(response.status).toBe(401);
    expect(server!.stats.unauthorized).toBe(1);
  });

  it('applies a push once and answers a repeated Idempotency-Key as a replay', async () => {
    const base = await start();
    const body = { sku: 'SKU-1001', quantity: 42, location: 'SH-01', updatedAt: '2026-11-22T20:45:07.123+08:00' };
    const first = await put(base, 'SKU-1001', body, { 'idempotency-key': 'k1' });
    expect(first.status).toBe(200);
    const again = await put(base, 'SKU-1001', { ...body, quantity: 7 }, { 'idempotency-key': 'k1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual({ sku: 'SKU-1001', quantity: 42 });
    expect(server!.level('SKU-1001')?.quantity).toBe(42);
    const stats = await (await fetch(`${base}/api/stats`)).json();
    expect(stats).toMatchObject({ stockPushes: 2, applied: 1, replayed: 1, skus: 1 });
  });

  it('keeps a newer level when an older one arrives late', async () => {
    const base = await start();
    await put(base, 'SKU-2001', { sku: 'SKU-2001', quantity: 10, location: 'SH-01', updatedAt: '2026-11-22T20:45:08.000+08:00' });
    await put(base, 'SKU-2001', { sku: 'SKU-2001', quantity: 99, location: 'SH-01', updatedAt: '2026-11-22T20:45:01.000+08:00' });
    expect(server!.level('SKU-2001')?.quantity).toBe(10);
  });

  it('rejects a body that does not match the path', async () => {
    const base = await start();
    const response = await put(base, 'SKU-1001', { sku: 'SKU-9999', quantity: 1, location: 'SH-01' });
    expect(response.status).toBe(422);
    expect(server!.stats.rejected).toBe(1);
  });

  it('answers 429 with Retry-After when rate limiting', async () => {
    const base = await start(1);
    const response = await put(base, 'SKU-1001', { sku: 'SKU-1001', quantity: 1, location: 'SH-01' });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(server!.stats.rateLimited).toBe(1);
  });
});
