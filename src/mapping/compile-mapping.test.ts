import { describe, it, expect } from 'vitest';
import { DatongError } from '../errors/datong-error.ts';
import type { MappingFile } from '../workspace/schema.ts';
import { compileMapping, type MapContext, type MapResult } from './compile-mapping.ts';

const ctx: MapContext = { now: new Date('2026-11-22T12:00:00.000Z') };

describe.each([{ generateCode: true }, { generateCode: false }])('compileMapping with %o', (options) => {
  function run(fields: MappingFile['fields'], input: unknown, extra: Partial<MappingFile> = {}): MapResult {
    const mapping = compileMapping('test', { fields, ...extra }, options);
    expect(mapping.isAsync).toBe(false);
    return mapping.apply(input, ctx) as MapResult;
  }

  function value(result: MapResult): Record<string, unknown> {
    if (!result.ok) throw result.error;
    return result.value;
  }

  function failure(result: MapResult): DatongError {
    if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
    return result.error;
  }

  function compileError(fields: MappingFile['fields']): DatongError {
    try {
      compileMapping('bad', { fields }, options);
    } catch (error) {
      expect(error).toBeInstanceOf(DatongError);
      return error as DatongError;
    }
    throw new Error('expected a compile error');
  }

  describe('compileMapping: reading', () => {
    it('reads dotted paths, indexes, quoted keys and the string shorthand', () => {
      const out = value(
        run(
          { 客户: 'buyer.name', 首个商品: 'items[0].sku', 颜色: 'attrs["颜色.主"]', 第二件数量: { from: 'items[1].qty' } },
          { buyer: { name: '张三' }, items: [{ sku: 'SKU-1' }, { qty: 2 }], attrs: { '颜色.主': '红' } },
        ),
      );
      expect(out).toEqual({ 客户: '张三', 首个商品: 'SKU-1', 颜色: '红', 第二件数量: 2 });
    });

    it('uses the output key as the path when a rule names no source', () => {
      expect(value(run({ qty: { cast: 'integer' } }, { qty: '12' }))).toEqual({ qty: 12 });
    });

    it('writes const values and copies object constants per record', () => {
      const mapping = compileMapping('c', { fields: { 来源: { const: '淘宝' }, tags: { const: ['电商'] } } }, options);
      const a = value(mapping.apply({}, ctx) as MapResult);
      const b = value(mapping.apply({}, ctx) as MapResult);
      expect(a).toEqual({ 来源: '淘宝', tags: ['电商'] });
      (a.tags as string[]).push('改了');
      expect(b.tags).toEqual(['电商']);
    });

    it('builds nested objects from dotted output keys', () => {
      const out = value(run({ 'buyer.name': 'nick', 'buyer.phone': 'mobile', 'address.geo.city': 'city' }, { nick: '李四', mobile: '13800138000', city: '杭州市' }));
      expect(out).toEqual({ buyer: { name: '李四', phone: '13800138000' }, address: { geo: { city: '杭州市' } } });
    });

    it('omits keys whose source is missing, keeps null, and types an empty string as null', () => {
      const out = value(run({ a: 'missing', b: 'nothing', c: 'blank', d: { from: 'blank', cast: 'integer' } }, { nothing: null, blank: '' }));
      expect(out).toEqual({ b: null, c: '', d: null });
      expect('a' in out).toBe(false);
    });

    it('treats odd keys as data, never as code', () => {
      const key = 'x"]; throw new Error("injected"); //\u2028';
      const out = value(run({ [key]: `["${'a\'b'}"]`, "it's.`${1}`": { from: 'plain' } }, { "a'b": 1, plain: 2 }));
      expect(out).toEqual({ [key]: 1, "it's": { '`${1}`': 2 } });
    });

    it('keepUnmapped copies the input fields the mapping does not name', () => {
      const out = value(run({ name: 'nick', 备注: { const: '无' } }, { nick: '王五', 部门: '市场部', 工号: 'E001' }, { keepUnmapped: true }));
      expect(out).toEqual({ name: '王五', 备注: '无', 部门: '市场部', 工号: 'E001' });
      expect('nick' in out).toBe(false);
    });
  });

  describe('compileMapping: pipeline', () => {
    it('trims, then applies the default to empty values (as given)', () => {
      const fields = { 备注: { from: 'memo', trim: true, default: '无' }, 数量: { from: 'qty', cast: 'integer' as const, default: 0 } };
      expect(value(run(fields, { memo: '   ', qty: null }))).toEqual({ 备注: '无', 数量: 0 });
      expect(value(run(fields, { memo: ' 加急 ', qty: '3' }))).toEqual({ 备注: '加急', 数量: 3 });
    });

    it('fails a required field with its field, path and value', () => {
      const error = failure(run({ 'buyer.phone': { from: 'receiver.mobile', trim: true, required: true } }, { receiver: { mobile: '  ' } }));
      expect(error.code).toBe('DT_MAP_REQUIRED');
      expect(error.where).toEqual({ field: 'buyer.phone', path: 'receiver.mobile' });
      expect(error.message).toBe('Field buyer.phone is required but receiver.mobile is empty');
      expect(error.localized('zh')).toBe('字段 buyer.phone 必填，但 receiver.mobile 为空');
    });

    it('maps department names and platform status codes with valueMap', () => {
      const fields = {
        部门: { from: 'dept', valueMap: { 市场部: '市场营销中心', 销售部: '销售中心' } },
        status: { from: 'status', valueMap: { WAIT_BUYER_PAY: 'pending', WAIT_SELLER_SEND_GOODS: 'paid', TRADE_FINISHED: 'completed' } },
      };
      expect(value(run(fields, { dept: '市场部', status: 'WAIT_SELLER_SEND_GOODS' }))).toEqual({ 部门: '市场营销中心', status: 'paid' });
      const error = failure(run(fields, { dept: '市场部', status: 'TRADE_CLOSED' }));
      expect(error.code).toBe('DT_MAP_UNMAPPED_VALUE');
      expect(error.where).toEqual({ field: 'status', path: 'status' });
      expect(error.params.value).toBe('TRADE_CLOSED');
      expect(error.details).toEqual({ value: 'TRADE_CLOSED' });
    });

    it('valueMap unmapped: pass keeps the value, default writes the default; numbers match string keys', () => {
      expect(value(run({ d: { from: 'd', valueMap: { 市场部: '市场营销中心' }, unmapped: 'pass' } }, { d: '财务部' }))).toEqual({ d: '财务部' });
      expect(value(run({ d: { from: 'd', valueMap: { 市场部: '市场营销中心' }, unmapped: 'default', default: '其他' } }, { d: '财务部' }))).toEqual({ d: '其他' });
      expect(value(run({ level: { from: 'lv', valueMap: { '1': '普通会员', '2': '金卡会员' } } }, { lv: 2 }))).toEqual({ level: '金卡会员' });
    });

    it('applies valueMap before cast', () => {
      expect(value(run({ 开票: { from: 'inv', valueMap: { 需要: 'Y', 不需要: 'N' }, cast: 'boolean' } }, { inv: '需要' }))).toEqual({ 开票: true });
    });

    it('casts strictly and names the type on failure', () => {
      const fields = { qty: { from: 'qty', cast: 'integer' as const } };
      expect(value(run(fields, { qty: '12' }))).toEqual({ qty: 12 });
      const error = failure(run(fields, { qty: '12.5' }));
      expect(error.code).toBe('DT_MAP_CAST');
      expect(error.params).toMatchObject({ field: 'qty', path: 'qty', value: '12.5', type: 'integer' });
    });

    it('chains unit then decimal scale', () => {
      expect(value(run({ 重量: { from: 'weight', unit: { from: '克', to: '斤' }, decimal: { scale: 2 } } }, { weight: 1234 }))).toEqual({ 重量: '2.47' });
    });

    it('converts fen to yuan and a DD/MM/YYYY HH:mm time to ISO with +08:00', () => {
      const out = value(
        run(
          { 金额: { from: 'totalFen', decimal: { divide: 100, scale: 2 } }, 下单时间: { from: 'created', date: { format: 'dd/MM/yyyy HH:mm' } } },
          { totalFen: 1999, created: '22/11/2026 20:45' },
        ),
      );
      expect(out).toEqual({ 金额: '19.99', 下单时间: '2026-11-22T20:45:00.000+08:00' });
    });

    it('reports a bad date with field, path, value and format', () => {
      const error = failure(run({ 下单时间: { from: 'order.created', date: { format: 'dd/MM/yyyy HH:mm' } } }, { order: { created: '31/02/2026 20:45' } }));
      expect(error.code).toBe('DT_MAP_DATE');
      expect(error.where).toEqual({ field: '下单时间', path: 'order.created' });
      expect(error.params).toMatchObject({ value: '31/02/2026 20:45', format: 'dd/MM/yyyy HH:mm' });
    });

    it('takes the date zone from the context, then the compile option', () => {
      const fields = { t: { from: 't', date: { format: 'yyyy-MM-dd HH:mm' } } };
      const tokyo = compileMapping('z', { fields }, { ...options, defaultTimezone: 'Asia/Tokyo' });
      expect(value(tokyo.apply({ t: '2026-11-22 09:00' }, ctx) as MapResult)).toEqual({ t: '2026-11-22T09:00:00.000+09:00' });
      expect(value(tokyo.apply({ t: '2026-11-22 09:00' }, { ...ctx, sourceTimezone: 'Europe/Berlin' }) as MapResult)).toEqual({ t: '2026-11-22T09:00:00.000+01:00' });
    });
  });

  describe('compileMapping: each', () => {
    const mapping = compileMapping('order', {
      fields: {
        orderNo: 'tid',
        lines: {
          from: 'items',
          each: {
            fields: {
              sku: { from: 'skuId', required: true },
              qty: { from: 'num', cast: 'integer' },
              price: { from: 'priceFen', decimal: { divide: 100, scale: 2 } },
              'spec.color': 'props.颜色',
            },
          },
        },
      },
    }, options);

    it('maps every element with the nested fields', () => {
      const out = value(
        mapping.apply(
          { tid: 'T1001', items: [{ skuId: '绿茶-250g', num: '2', priceFen: 3990, props: { 颜色: '绿' } }, { skuId: '红茶-100g', num: 1, priceFen: 1500 }] },
          ctx,
        ) as MapResult,
      );
      expect(out).toEqual({
        orderNo: 'T1001',
        lines: [
          { sku: '绿茶-250g', qty: 2, price: '39.90', spec: { color: '绿' } },
          { sku: '红茶-100g', qty: 1, price: '15.00' },
        ],
      });
    });

    it('names the element index in field and path of a failure', () => {
      const error = failure(mapping.apply({ tid: 'T1002', items: [{ skuId: 'A', num: 1 }, { skuId: 'B', num: 1 }, { num: 3 }] }, ctx) as MapResult);
      expect(error.code).toBe('DT_MAP_REQUIRED');
      expect(error.where).toEqual({ field: 'lines[2].sku', path: 'items[2].skuId' });
      expect(error.message).toBe('Field lines[2].sku is required but items[2].skuId is empty');
    });

    it('fails a non-array source and passes an absent one', () => {
      expect(failure(mapping.apply({ tid: 'T', items: '不是数组' }, ctx) as MapResult).params).toMatchObject({ field: 'lines', type: 'array' });
      expect(value(mapping.apply({ tid: 'T' }, ctx) as MapResult)).toEqual({ orderNo: 'T' });
    });

    it('names nested compile errors with []', () => {
      const error = compileError({ lines: { from: 'items', each: { fields: { qty: { from: 'num', cast: 'int' as 'integer' } } } } });
      expect(error.code).toBe('DT_MAP_RULE');
      expect(error.where.field).toBe('lines[].qty');
    });
  });

  describe('compileMapping: expressions', () => {
    it('is async when any field, even nested, has expr; binds $now from the context and $root', async () => {
      const mapping = compileMapping('e', {
        fields: {
          金额合计: { expr: '$decimalSum(items.(priceFen * qty)) ' },
          生成时间: { expr: '$now()' },
          lines: { from: 'items', each: { fields: { 订单号: { expr: '$root.tid' }, 小计: { expr: '$decimal(priceFen * qty / 100, 2)' } } } },
        },
      });
      expect(mapping.isAsync).toBe(true);
      const result = mapping.apply({ tid: 'T9', items: [{ priceFen: 1999, qty: 3 }, { priceFen: 1, qty: 1 }] }, ctx);
      expect(result).toBeInstanceOf(Promise);
      expect(value(await result)).toEqual({
        金额合计: '5998',
        生成时间: '2026-11-22T12:00:00.000Z',
        lines: [
          { 订单号: 'T9', 小计: '59.97' },
          { 订单号: 'T9', 小计: '0.01' },
        ],
      });
    });

    it('runs expr output through the rest of the pipeline', async () => {
      const mapping = compileMapping('e', { fields: { 状态: { expr: 'platform & ":" & code', valueMap: { 'tb:WAIT_SELLER_SEND_GOODS': 'paid' } } } });
      expect(value(await mapping.apply({ platform: 'tb', code: 'WAIT_SELLER_SEND_GOODS' }, ctx))).toEqual({ 状态: 'paid' });
    });

    it('returns runtime expression errors with field and position, nested ones with the index', async () => {
      const mapping = compileMapping('e', { fields: { lines: { from: 'items', each: { fields: { n: { expr: 'qty + name' } } } } } });
      const error = failure(await mapping.apply({ items: [{ qty: 1, name: 0 }, { qty: 1, name: '甲' }] }, ctx));
      expect(error.code).toBe('DT_MAP_EXPRESSION');
      expect(error.where.field).toBe('lines[1].n');
      expect(error.where.path).toBe('items[1]');
      expect(error.details?.position).toBeTypeOf('number');
    });

    it('times out an endless expression with the mapping timeout', async () => {
      const mapping = compileMapping('e', { fields: { x: { expr: '$reduce([1..5000000], function($a, $b) { $a + $b })' } }, expressionTimeoutMs: 20 });
      const error = failure(await mapping.apply({}, ctx));
      expect(error.code).toBe('DT_MAP_EXPRESSION_TIMEOUT');
      expect(error.where.field).toBe('x');
    });

    it('throws syntax errors at compile time with field and position', () => {
      const error = compileError({ 合计: { expr: 'price * (qty + ' } });
      expect(error.code).toBe('DT_MAP_EXPRESSION_SYNTAX');
      expect(error.where.field).toBe('合计');
      expect(error.params.position).toBeTypeOf('number');
    });
  });

  describe('compileMapping: compile errors', () => {
    it.each([
      ['unknown setting', { a: { form: 'x' } as never }, 'DT_MAP_RULE', 'a'],
      ['two sources', { a: { from: 'x', const: 1 } }, 'DT_MAP_RULE', 'a'],
      ['bad path', { a: 'items[x]' }, 'DT_MAP_RULE', 'a'],
      ['unknown unit', { 重量: { from: 'w', unit: { from: '克', to: '磅' } } }, 'DT_MAP_UNIT', '重量'],
      ['mixed unit kinds', { 重量: { from: 'w', unit: { from: 'kg', to: 'm' } } }, 'DT_MAP_UNIT', '重量'],
      ['bad date format', { t: { from: 't', date: { format: 'HH:mm' } } }, 'DT_MAP_DATE_FORMAT', 't'],
      ['unknown timezone', { t: { from: 't', date: { format: 'iso', timezone: 'Asia/Beijing' } } }, 'DT_MAP_DATE_FORMAT', 't'],
      ['divide by zero', { m: { from: 'm', decimal: { divide: 0 } } }, 'DT_MAP_RULE', 'm'],
      ['unmapped without valueMap', { s: { from: 's', unmapped: 'pass' as const } }, 'DT_MAP_RULE', 's'],
      ['clashing output keys', { buyer: 'a', 'buyer.name': 'b' }, 'DT_MAP_RULE', 'buyer.name'],
    ])('%s', (_name, fields, code, field) => {
      const error = compileError(fields as MappingFile['fields']);
      expect(error.code).toBe(code);
      expect(error.where.field).toBe(field);
    });
  });

  describe('compileMapping: apply never throws', () => {
    it('turns an unexpected failure into an error result', () => {
      const hostile = { get 名称() { throw new Error('getter exploded'); } };
      const error = failure(run({ name: '名称' }, hostile));
      expect(error.code).toBe('DT_RUNTIME_INTERNAL');
    });

    it('maps non-object input to empty reads', () => {
      expect(value(run({ a: 'x', b: { const: 1 } }, 'just a string'))).toEqual({ b: 1 });
    });
  });
});
