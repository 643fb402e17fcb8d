import { describe, it, expect } from 'vitest';
import { previewMapping } from './preview.ts';

const ctx = { now: new Date('2026-11-22T12:00:00.000Z') };

describe('previewMapping', () => {
  it('returns an output or an error per sample', async () => {
    const items = await previewMapping(
      'employee',
      { fields: { 姓名: { from: 'name', required: true }, 部门: { from: 'dept', valueMap: { 市场部: '市场营销中心' } } } },
      [{ name: '张三', dept: '市场部' }, { name: '李四', dept: '保安部' }, { dept: '市场部' }],
      ctx,
    );
    expect(items[0]).toEqual({ ok: true, output: { 姓名: '张三', 部门: '市场营销中心' } });
    expect(items[1]).toMatchObject({
      ok: false,
      error: { code: 'DT_MAP_UNMAPPED_VALUE', where: { field: '部门', path: 'dept' }, details: { value: '保安部' }, messageZh: '字段 部门：值“保安部”不在值映射表中' },
    });
    expect(items[2]).toMatchObject({ ok: false, error: { code: 'DT_MAP_REQUIRED', where: { field: '姓名' } } });
  });

  it('runs async mappings too', async () => {
    const items = await previewMapping('e', { fields: { 合计: { expr: '$decimalSum(items.amount)' } } }, [{ items: [{ amount: '0.1' }, { amount: '0.2' }] }], ctx);
    expect(items).toEqual([{ ok: true, output: { 合计: '0.3' } }]);
  });

  it('reports a compile error for every sample instead of throwing', async () => {
    const spec = { fields: { 合计: { expr: 'price *' } } };
    const items = await previewMapping('bad', spec, [{}, {}], ctx);
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item).toMatchObject({ ok: false, error: { code: 'DT_MAP_EXPRESSION_SYNTAX', compile: true, where: { field: '合计' } } });
    }
    expect(await previewMapping('bad', spec, [], ctx)).toHaveLength(1);
  });
});
