import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../../src/triggers/webhook/signature.ts';
import { deliver } from './webhook-sender.ts';

const SECRET = 'demo-webhook-secret';
let server: Server | undefined;

/** A hub stand-in answering with the given statuses in turn; records what it got. */
async function fakeHub(statuses: number[]) {
  const got: { deliveryId: string; authentic: boolean; body: string }[] = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      let authentic = true;
      try {
        verifySignature({
          secrets: [SECRET],
          timestamp: request.headers['x-datong-timestamp'] as string,
          signature: request.headers['x-datong-signature'] as string,
          rawBody,
          toleranceSeconds: 300,
        });
      } catch {
        authentic = false;
      }
      got.push({ deliveryId: String(request.headers['x-datong-delivery-id']), authentic, body: rawBody.toString() });
      const status = statuses[Math.min(got.length - 1, statuses.length - 1)];
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status === 202 ? { recordId: 'r1', duplicate: got.length > 1 } : { code: 'X' }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/shop-orders`, got };
}

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

describe('webhook sender', () => {
  it('sends a signed delivery and retries a 5xx with the same delivery id', async () => {
    const hub = await fakeHub([503, 500, 202]);
    const result = await deliver({ orderNo: '2026112220450001234', buyer: { name: '王芳' } }, { url: hub.url, secret: SECRET, signal: new AbortController().signal, initialDelayMs: 10 });
    expect(result).toMatchObject({ status: 'accepted', httpStatus: 202, attempts: 3 });
    expect(hub.got).toHaveLength(3);
    expect(new Set(hub.got.map((g) => g.deliveryId)).size).toBe(1);
    expect(hub.got.every((g) => g.authentic)).toBe(true);
    expect(JSON.parse(hub.got[0].body).buyer.name).toBe('王芳');
  });

  it('gives up at once on a 4xx other than 429', async () => {
    const hub = await fakeHub([401]);
    const result = await deliver({ orderNo: '1' }, { url: hub.url, secret: 'another-secret', signal: new AbortController().signal, initialDelayMs: 10 });
    expect(result).toMatchObject({ status: 'refused', httpStatus: 401, attempts: 1 });
    expect(hub.got[0].authentic).toBe(false);
  });

  it('keeps trying while the hub is unreachable, and stops when aborted', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 300);
    const result = await deliver({ orderNo: '1' }, { url: 'http://127.0.0.1:9/hooks/shop-orders', secret: SECRET, signal: abort.signal, initialDelayMs: 20 });
    expect(result.status).toBe('aborted');
    expect(result.attempts).toBeGreaterThan(1);
  });
});
