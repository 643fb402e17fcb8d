import { describe, it, expect } from 'vitest';
import { generateRunSync } from './codegen.ts';
import { compileField, type FieldEnv } from './field-rule.ts';

const ctx = { now: new Date('2026-11-22T12:00:00.000Z') };
const env: FieldEnv = {
  prefix: '',
  compileNested: () => {
    throw new Error('no nesting here');
  },
};

describe('generateRunSync', () => {
  it('generates a loop equivalent to the plans', () => {
    const plans = [
      compileField('buyer.name', { from: 'buyer.nick', trim: true }, env),
      compileField('buyer.level', { from: 'lv', valueMap: { '1': '普通会员', '2': '金卡会员' } }, env),
      compileField('qty', { from: 'items[0].n', cast: 'integer' }, env),
      compileField('channel', { const: '淘宝' }, env),
      compileField('missing', 'nothing.here', env),
    ];
    const run = generateRunSync(plans, () => ({ kept: true }), () => []);
    expect(run).toBeTypeOf('function');
    expect(run!({ buyer: { nick: ' 张三 ' }, lv: 2, items: [{ n: '3' }] }, ctx, null)).toEqual({
      kept: true,
      buyer: { name: '张三', level: '金卡会员' },
      qty: 3,
      channel: '淘宝',
    });
  });

  it('creates a nested output object only when one of its keys gets a value', () => {
    const plans = [compileField('a.b.c', 'x', env), compileField('d', 'y', env)];
    const run = generateRunSync(plans, () => ({}), () => [])!;
    expect(run({ y: 1 }, ctx, null)).toEqual({ d: 1 });
    expect(run({ x: 0, y: 1 }, ctx, null)).toEqual({ a: { b: { c: 0 } }, d: 1 });
  });
});
