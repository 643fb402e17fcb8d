/**
 * A record whose write can never be built (a bearer token that is not valid in an HTTP header)
 * must end in the dead-letter queue, not loop in the queue forever.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_SYSTEMS, startTestHub, type TestHub } from '../support/test-hub.ts';

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub({ systems: { erp: DEFAULT_SYSTEMS.erp.replace('token: erp-secret-token', 'token: erp-令牌') } });
}, 60_000);
afterAll(async () => t?.stop());

it('dead-letters a write whose request cannot be built', async () => {
  const id = await t.send('orders', { orderNo: 'TB-UNBUILDABLE', buyer: { name: '韩梅梅' }, totalFen: 100 });
  expect(await t.waitForState(id, ['dead', 'done'], 15_000)).toBe('dead');
  const letter = await t.hub.db.get<{ error_code: string }>('SELECT error_code FROM dead_letters WHERE record_id = ?', [id]);
  expect(letter?.error_code).toBe('DT_CONFIG_INVALID');
});
