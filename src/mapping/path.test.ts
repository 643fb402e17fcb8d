import { describe, it, expect } from 'vitest';
import { compileAccessor, compileSetter, formatPath, parsePath } from './path.ts';

describe('paths', () => {
  it('parses dots, indexes and quoted keys', () => {
    expect(parsePath('buyer.name')).toEqual(['buyer', 'name']);
    expect(parsePath('items[0].sku')).toEqual(['items', 0, 'sku']);
    expect(parsePath('$.订单.明细[2]["规格.颜色"]')).toEqual(['订单', '明细', 2, '规格.颜色']);
    expect(parsePath('$')).toEqual([]);
    for (const bad of ['', 'a..b', 'a.', 'a[x]', 'a[0', 'a[0]b']) expect(() => parsePath(bad), bad).toThrow();
  });

  it('formats paths back', () => {
    expect(formatPath(['items', 0, 'sku'])).toBe('items[0].sku');
    expect(formatPath(['规格.颜色'])).toBe('["规格.颜色"]');
    expect(formatPath([])).toBe('$');
  });

  it('reads through any depth and yields undefined on missing or primitive steps', () => {
    const input = { a: { b: { c: { d: [10, 20] } } }, s: '字符串' };
    expect(compileAccessor(parsePath('a.b.c.d[1]'))(input)).toBe(20);
    expect(compileAccessor(parsePath('a.b.c'))(input)).toEqual({ d: [10, 20] });
    expect(compileAccessor(parsePath('a.x.c'))(input)).toBeUndefined();
    expect(compileAccessor(parsePath('s.length'))(input)).toBeUndefined();
    expect(compileAccessor(parsePath('a.b.c.d.length'))(input)).toBe(2);
    expect(compileAccessor(parsePath('a'))(null)).toBeUndefined();
  });

  it('sets nested output keys without clobbering siblings', () => {
    const out: Record<string, unknown> = {};
    compileSetter(['buyer', 'name'])(out, '张三');
    compileSetter(['buyer', 'phone'])(out, '138');
    compileSetter(['a', 'b', 'c'])(out, 1);
    expect(out).toEqual({ buyer: { name: '张三', phone: '138' }, a: { b: { c: 1 } } });
  });
});
