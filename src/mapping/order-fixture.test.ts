import { describe, it, expect } from 'vitest';
import { ORDER_MAPPING, makeOrder } from '../../bench/fixtures/order-fixture.ts';
import { ORDER_JSONATA, benchMapping, handMapOrder } from '../../bench/mapping-bench.ts';
import { compileMapping } from './compile-mapping.ts';
import { compileExpression } from './expression.ts';
import { STATUS_MAP } from '../../bench/fixtures/order-fixture.ts';

const ctx = { now: new Date('2026-11-22T12:00:00.000Z'), sourceTimezone: 'Asia/Shanghai' };

describe('benchmark order fixture', () => {
  it('the compiled mapping, the hand-written map and the JSONata map agree', async () => {
    const mapping = compileMapping('order', ORDER_MAPPING);
    expect(mapping.isAsync).toBe(false);
    const expression = compileExpression(ORDER_JSONATA, { timeoutMs: 1000 });
    for (let i = 0; i < 300; i += 7) {
      const order = makeOrder(i);
      const result = mapping.apply(order, ctx);
      if (!('ok' in result) || !result.ok) throw new Error(`order ${i} failed`);
      expect(result.value).toEqual(handMapOrder(order));
      expect(JSON.parse(JSON.stringify(await expression.evaluate(order, { now: ctx.now, statusMap: STATUS_MAP })))).toEqual(result.value);
    }
  });

  it('maps a known order to known values', () => {
    const result = compileMapping('order', ORDER_MAPPING).apply(makeOrder(61), ctx);
    expect(result).toEqual({
      ok: true,
      value: {
        orderNo: 'TB2026112200061',
        createdAt: '2026-11-01T01:01:00.000+08:00',
        paidAt: '2026-11-01T01:03:36.000+08:00',
        totalAmount: '42.56',
        freightAmount: '5.00',
        status: 'paid',
        buyer: { name: '杨帆', phone: expect.stringMatching(/^138\d{8}$/) },
        address: { province: '广东省', city: '深圳市', detail: '南山区科技园南区 9 栋' },
        lineCount: 2,
        weightKg: '1.5',
        needInvoice: false,
        remark: '无',
      },
    });
  });

  it('the benchmark runs and reports all figures', async () => {
    const r = await benchMapping({ seconds: 0.2 });
    for (const n of [r.compiledPerSec, r.handWrittenPerSec, r.jsonataPerSec, r.ratio]) expect(n).toBeGreaterThan(0);
    expect(r.compiledPerSec).toBeGreaterThan(r.jsonataPerSec);
  });
});
