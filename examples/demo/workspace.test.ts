/**
 * The demo workspace checked without starting anything: it loads cleanly, and the simulator's
 * orders (good and deliberately bad) come out of the flow's map and validate steps as intended.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { CONNECTORS } from '../../src/connectors/registry.ts';
import { DatongError } from '../../src/errors/datong-error.ts';
import { compileMapping } from '../../src/mapping/compile-mapping.ts';
import type { StepRun } from '../../src/runtime/steps/step.ts';
import { validateStep } from '../../src/runtime/steps/validate-step.ts';
import { loadWorkspace } from '../../src/workspace/load-workspace.ts';
import type { Workspace } from '../../src/workspace/schema.ts';
import { OrderGenerator, type ShopOrder } from './simulator/orders.ts';
import { Random } from './simulator/random.ts';

const DIR = fileURLToPath(new URL('.', import.meta.url));
// 22/11/2026 20:45:30 in Beijing time.
const NOW = Date.parse('2026-11-22T12:45:30Z');

async function demoWorkspace(): Promise<Workspace> {
  const { workspace, findings } = await loadWorkspace(DIR, { connectors: CONNECTORS });
  expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  return workspace!;
}

/** The shop-orders flow's map and validate steps, as the hub runs them. */
async function orderPipeline() {
  const workspace = await demoWorkspace();
  const flow = workspace.flows['shop-orders'];
  const mapping = compileMapping('shop-order-to-erp', workspace.mappings['shop-order-to-erp'], { defaultTimezone: 'Asia/Shanghai' });
  const checkSpec = flow.steps.find((step) => step.type === 'validate');
  if (checkSpec?.type !== 'validate') throw new Error('the flow has no validate step');
  const check = validateStep({ id: 'check', index: 1, schema: checkSpec.schema });
  return async (order: ShopOrder): Promise<Record<string, unknown>> => {
    const result = await mapping.apply(order, { now: new Date(NOW), sourceTimezone: 'Asia/Shanghai' });
    if (!result.ok) throw result.error;
    check.run(result.value, {} as StepRun);
    return result.value;
  };
}

async function failureOf(promise: Promise<unknown>): Promise<DatongError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DatongError);
  return error as DatongError;
}

describe('demo workspace', () => {
  it('loads with two systems, two flows and two mappings', async () => {
    const workspace = await demoWorkspace();
    expect(Object.keys(workspace.systems).sort()).toEqual(['erp', 'shop']);
    expect(Object.keys(workspace.flows).sort()).toEqual(['shop-orders', 'stock-push']);
    expect(workspace.file.sidecars?.[0].command).toEqual(['simulator/main.ts']);
  });

  it('maps a shop order to an ERP sales order with lines, yuan amounts and +08:00 times', async () => {
    const run = await orderPipeline();
    const order: ShopOrder = {
      orderNo: '2026112220450001234',
      status: 'WAIT_SELLER_SEND_GOODS',
      createdAt: '22/11/2026 20:41',
      paidAt: '22/11/2026 20:42',
      updatedAt: '22/11/2026 20:45:07',
      buyer: { nick: '糯米123', name: ' 欧阳思远 ', phone: '13812345678' },
      receiver: { name: '欧阳思远', phone: '13812345678', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路90号1幢502室', zip: '310012' },
      items: [
        { lineNo: 1, sku: 'SKU-1001', title: '西湖龙井 明前特级 250g', qty: 2, priceFen: 16800, totalFen: 33600 },
        { lineNo: 2, sku: 'SKU-5001', title: '郫县豆瓣酱 500g', qty: 1, priceFen: 1590, totalFen: 1590 },
      ],
      goodsFen: 35190,
      freightFen: 0,
      discountFen: 1000,
      paymentFen: 34190,
      remark: '周末送货，谢谢 ',
    };
    const erp = await run(order);
    expect(erp).toMatchObject({
      order_no: '2026112220450001234',
      sales_channel: '天猫旗舰店',
      status: '待发货',
      customer_name: '欧阳思远',
      province: '浙江省',
      goods_amount: '351.90',
      freight_amount: '0.00',
      discount_amount: '10.00',
      total_amount: '341.90',
      ordered_at: '2026-11-22T20:41:00.000+08:00',
      paid_at: '2026-11-22T20:42:00.000+08:00',
      source_updated_at: '2026-11-22T20:45:07.000+08:00',
      remark: '周末送货，谢谢',
      lines: [
        { line_no: 1, sku: 'SKU-1001', product_name: '西湖龙井 明前特级 250g', qty: 2, unit_price: '168.00', line_amount: '336.00' },
        { line_no: 2, sku: 'SKU-5001', product_name: '郫县豆瓣酱 500g', qty: 1, unit_price: '15.90', line_amount: '15.90' },
      ],
    });
    expect(erp).not.toHaveProperty('shipped_at');
  });

  it('maps every order the simulator generates, updates included', async () => {
    const run = await orderPipeline();
    let now = NOW;
    const generator = new OrderGenerator({ random: new Random(7), now: () => now, badShare: 0, updateShare: 0.4 });
    const statuses = new Set<unknown>();
    for (let i = 0; i < 300; i++) {
      now += 700;
      const delivery = generator.next();
      const erp = await run(delivery.order);
      statuses.add(erp.status);
      expect(erp.total_amount).toMatch(/^\d+\.\d{2}$/);
      if (delivery.order.status === 'WAIT_BUYER_CONFIRM_GOODS') expect(erp.shipped_at).toMatch(/\+08:00$/);
    }
    expect([...statuses].sort()).toEqual(['已关闭', '已发货', '已完成', '待发货'].sort());
  });

  it('gives an update of an order a newer version than the order had', async () => {
    const run = await orderPipeline();
    let now = NOW;
    const generator = new OrderGenerator({ random: new Random(11), now: () => now, badShare: 0, updateShare: 0 });
    const first = await run(generator.newOrder());
    now += 1500;
    const update = generator.update();
    expect(update?.order.orderNo).toBe(first.order_no);
    const second = await run(update!.order);
    expect(String(second.source_updated_at) > String(first.source_updated_at)).toBe(true);
  });

  it('sends the deliberately bad orders to the dead-letter queue for the right reason', async () => {
    const run = await orderPipeline();
    const generator = new OrderGenerator({ random: new Random(3), now: () => NOW });
    const unknownStatus = await failureOf(run(generator.bad('unknown-status').order));
    expect(unknownStatus.code).toBe('DT_MAP_UNMAPPED_VALUE');
    expect(unknownStatus.retryable).toBe(false);
    const impossibleDate = await failureOf(run(generator.bad('impossible-date').order));
    expect(impossibleDate.code).toBe('DT_MAP_DATE');
    const noLines = await failureOf(run(generator.bad('no-lines').order));
    expect(noLines.code).toBe('DT_VALIDATE_FAILED');
    expect(noLines.params.path).toBe('/lines');
  });

  it('maps an ERP stock row to the shop stock body', async () => {
    const workspace = await demoWorkspace();
    const mapping = compileMapping('stock-to-shop', workspace.mappings['stock-to-shop']);
    const result = await mapping.apply(
      { sku: 'SKU-3003', product_name: '宜兴紫砂壶 西施壶 200ml', qty: 17, warehouse: '上海仓', updated_at: '2026-11-22T20:45:07.123+08:00' },
      { now: new Date(NOW), sourceTimezone: 'Asia/Shanghai' },
    );
    expect(result).toEqual({ ok: true, value: { sku: 'SKU-3003', quantity: 17, location: 'SH-01', updatedAt: '2026-11-22T20:45:07.123+08:00' } });
  });
});
