/**
 * The ceiling: a bare `node:http` server doing the hub's per-request work that needs no store —
 * read the body, check the signature and timestamp (the same `verifySignature`), parse the JSON,
 * map the order with the hand-written map — and answer 202. Nothing is persisted.
 */
import { createServer } from 'node:http';
import { handMapOrder } from './mapping-bench.ts';
import { childOptions, reply } from './child.ts';
import type { PlatformOrder } from './fixtures/order-fixture.ts';
import { verifySignature } from '../src/triggers/webhook/signature.ts';

const options = childOptions<{ secret: string }>();
let mapped = 0;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const rawBody = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    try {
      verifySignature({
        secrets: [options.secret],
        timestamp: request.headers['x-datong-timestamp'] as string | undefined,
        signature: request.headers['x-datong-signature'] as string | undefined,
        rawBody,
        toleranceSeconds: 300,
      });
      const order = JSON.parse(rawBody.toString('utf8')) as PlatformOrder;
      mapped += handMapOrder(order).lineCount as number;
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(`{"recordId":"${request.headers['x-datong-delivery-id']}","duplicate":false}`);
    } catch (error) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: String(error) }));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  reply({ type: 'ready', port: address.port });
});
process.on('message', (message: { type: string }) => {
  if (message.type === 'usage' || message.type === 'stop') {
    const cpu = process.cpuUsage();
    reply({ type: message.type === 'stop' ? 'stopped' : 'usage', cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, rssBytes: process.memoryUsage.rss(), peakRssBytes: process.resourceUsage().maxRSS * 1024, mapped });
    if (message.type === 'stop') {
      server.close(() => setTimeout(() => process.exit(0), 200));
      server.closeAllConnections();
    }
  }
});
