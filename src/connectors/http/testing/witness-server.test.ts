import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WitnessServer } from './witness-server.ts';

const put = (server: WitnessServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/customers`, { method: 'PUT', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

describe('witness server', () => {
  let server: WitnessServer;
  beforeAll(async () => {
    server = await WitnessServer.start({ auth: { type: 'api-key', in: 'header', name: 'X-Key', value: 'k1' } });
  });
  beforeEach(() => server.reset());
  afterAll(() => server.close());

  it('requires the configured auth and logs the refused delivery', async () => {
    expect((await put(server, { id: 'A' })).status).toBe(401);
    expect(server.deliveries).toEqual([expect.objectContaining({ id: 'A', result: 'unauthorized', status: 401 })]);
    expect(server.stored().size).toBe(0);
  });

  it('replays the answer for the same key and version, applies a newer version under the same key', async () => {
    const h = { 'x-key': 'k1', 'idempotency-key': 'K', 'x-datong-version': '1' };
    expect((await put(server, { id: 'A', 名称: '甲' }, h)).status).toBe(201);
    const replay = await put(server, { id: 'A', 名称: '甲' }, h);
    expect([replay.status, replay.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect((await put(server, { id: 'A', 名称: '乙' }, { ...h, 'x-datong-version': '2' })).status).toBe(200);
    const stale = await put(server, { id: 'A' }, { ...h, 'idempotency-key': 'K2', 'x-datong-version': '1' });
    expect([stale.status, (await stale.json()).error]).toEqual([409, expect.stringMatching(/^stale/)]);
    expect(server.records.get('A')).toMatchObject({ version: '2', writes: 2, data: { 名称: '乙' } });
    expect(server.deliveries.map((entry) => entry.result)).toEqual(['applied', 'replayed', 'applied', 'stale']);
  });

  it('goes down and comes back up on the same port', async () => {
    const port = server.port;
    await server.down();
    await expect(put(server, { id: 'B' }, { 'x-key': 'k1' })).rejects.toThrow();
    await server.up();
    expect(server.port).toBe(port);
    expect((await put(server, { id: 'B' }, { 'x-key': 'k1' })).status).toBe(201);
  });

  it('a hung write is applied after the wait even though the client gave up', async () => {
    server.hang(150);
    const aborted = fetch(`${server.url}/c`, { method: 'POST', body: '{"id":"D"}', headers: { 'x-key': 'k1' }, signal: AbortSignal.timeout(30) });
    await expect(aborted).rejects.toThrow();
    expect(server.stored().has('D')).toBe(false);
    await server.waitForDeliveries(1, 2_000);
    expect(server.stored().has('D')).toBe(true);
  });

  it('applies a write whose answer it then loses', async () => {
    server.loseResponse(1);
    await expect(put(server, { id: 'E' }, { 'x-key': 'k1' })).rejects.toThrow();
    expect(server.deliveries).toEqual([expect.objectContaining({ id: 'E', result: 'applied', lost: true })]);
    expect(server.stored().has('E')).toBe(true);
  });
});
