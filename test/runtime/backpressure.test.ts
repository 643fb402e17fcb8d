/** A flow's `maxBacklog`: past it, deliveries are refused with 503 and Retry-After, nothing accepted. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signedHeaders } from '../../src/triggers/webhook/signature.ts';
import { DEFAULT_FLOWS, startTestHub, WEBHOOK_SECRET, type TestHub } from '../support/test-hub.ts';

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub({ work: false, flows: { orders: `${DEFAULT_FLOWS.orders}maxBacklog: 3\n` } });
}, 60_000);
afterAll(async () => t?.stop());

async function deliver(n: number) {
  const raw = JSON.stringify({ orderNo: `BP-${n}`, buyer: { name: '李雷' }, totalFen: 100 });
  return t.app.inject({ method: 'POST', url: '/hooks/orders', payload: raw, headers: signedHeaders(WEBHOOK_SECRET, raw, `bp-${n}`) });
}

it('refuses deliveries with 503 and Retry-After once the backlog is over the bound', async () => {
  for (let n = 1; n <= 3; n++) expect((await deliver(n)).statusCode).toBe(202);
  // The backlog count is cached for a second per flow; after that the bound holds.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  const refused = await deliver(4);
  expect(refused.statusCode).toBe(503);
  expect(refused.json().code).toBe('DT_WEBHOOK_BACKPRESSURE');
  expect(refused.headers['retry-after']).toBe('5');
  const count = await t.hub.db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM records WHERE flow = 'orders'`);
  expect(Number(count!.n)).toBe(3);
});
