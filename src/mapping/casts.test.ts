import { describe, it, expect } from 'vitest';
import { CASTS, INVALID } from './casts.ts';

describe('casts', () => {
  it('integer accepts whole numbers and digit strings only', () => {
    expect(['12', ' 12 ', '-3', '+7', '12.0', 12, 0].map(CASTS.integer)).toEqual([12, 12, -3, 7, 12, 12, 0]);
    for (const bad of ['12.5', 12.5, 'abc', '', true, '9007199254740993', null, {}]) expect(CASTS.integer(bad)).toBe(INVALID);
  });

  it('number accepts finite numbers and numeric text', () => {
    expect(['1.5', '-0.25', '1e3', 7].map(CASTS.number)).toEqual([1.5, -0.25, 1000, 7]);
    for (const bad of ['一', 'NaN', Infinity, '', true]) expect(CASTS.number(bad)).toBe(INVALID);
  });

  it('boolean accepts true/false, 1/0, 是/否, Y/N', () => {
    expect([true, 'true', 'TRUE', 1, '1', '是', 'Y', 'y', 'yes'].map(CASTS.boolean)).toEqual(Array(9).fill(true));
    expect([false, 'false', 0, '0', '否', 'N', 'n', 'no'].map(CASTS.boolean)).toEqual(Array(8).fill(false));
    for (const bad of ['对', 2, 'maybe', null]) expect(CASTS.boolean(bad)).toBe(INVALID);
  });

  it('string renders scalars and dates', () => {
    expect([12, true, '甲', new Date('2026-11-22T12:45:00Z')].map(CASTS.string)).toEqual(['12', 'true', '甲', '2026-11-22T12:45:00.000Z']);
    expect(CASTS.string({ a: 1 })).toBe(INVALID);
  });

  it('decimal gives canonical decimal strings', () => {
    expect([0.1, '1.50', '-0', '1e-3', 12].map(CASTS.decimal)).toEqual(['0.1', '1.5', '0', '0.001', '12']);
    expect(CASTS.decimal('1,000')).toBe(INVALID);
  });
});
