import { describe, it, expect } from 'vitest';
import { DatongError } from '../errors/datong-error.ts';
import { Dec, canonical, compileDecimalRule, shiftDecimal, type DecimalRule } from './decimals.ts';

function decimal(rule: DecimalRule, value: unknown): string {
  return compileDecimalRule(rule, { field: '金额', path: 'payment' })(value);
}

describe('decimal transform', () => {
  it('turns fen into yuan exactly', () => {
    const fenToYuan = { divide: 100, scale: 2 };
    expect(decimal(fenToYuan, 1999)).toBe('19.99');
    expect(decimal(fenToYuan, '5')).toBe('0.05');
    expect(decimal(fenToYuan, -1)).toBe('-0.01');
    expect(decimal(fenToYuan, 0)).toBe('0.00');
    expect(decimal(fenToYuan, '900719925474099312')).toBe('9007199254740993.12');
  });

  it('rounds with the chosen mode when the scale is shorter than the result', () => {
    expect(decimal({ divide: 1000, scale: 2 }, 12345)).toBe('12.35');
    expect(decimal({ divide: 1000, scale: 2, rounding: 'half-even' }, 12345)).toBe('12.34');
    expect(decimal({ divide: 1000, scale: 2, rounding: 'down' }, 12349)).toBe('12.34');
    expect(decimal({ divide: 1000, scale: 2, rounding: 'up' }, 12341)).toBe('12.35');
    expect(decimal({ scale: 2 }, '-0.001')).toBe('0.00');
  });

  it('multiplies and divides by any factor, yuan → fen included', () => {
    expect(decimal({ multiply: 100, scale: 0 }, '19.99')).toBe('1999');
    expect(decimal({ multiply: '1.13', scale: 2 }, '100')).toBe('113.00');
    expect(decimal({ divide: 3, scale: 4 }, 10)).toBe('3.3333');
    expect(decimal({}, 0.1)).toBe('0.1');
    expect(decimal({}, '1.500')).toBe('1.5');
    expect(decimal({}, '1e3')).toBe('1000');
  });

  it('fails non-numeric values with field, path and value', () => {
    try {
      decimal({ divide: 100, scale: 2 }, '十九块九');
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(DatongError);
      expect((error as DatongError).code).toBe('DT_MAP_CAST');
      expect((error as DatongError).where).toEqual({ field: '金额', path: 'payment' });
      expect((error as DatongError).params.value).toBe('十九块九');
    }
  });

  it('rejects bad settings at compile time', () => {
    expect(() => compileDecimalRule({ divide: 0 }, { field: 'x' })).toThrow(DatongError);
    expect(() => compileDecimalRule({ multiply: '三' }, { field: 'x' })).toThrow(DatongError);
    expect(() => compileDecimalRule({ scale: 19 }, { field: 'x' })).toThrow(DatongError);
    expect(() => compileDecimalRule({ rounding: 'ceil' as 'up' }, { field: 'x' })).toThrow(DatongError);
  });
});

describe('shiftDecimal', () => {
  it('matches decimal.js for every shift and scale on assorted inputs', () => {
    const inputs = ['0', '-0', '7', '-7', '1999', '100', '0.5', '-12.50', '000123.4500', '+42', '98765432109876543210.0123'];
    for (const text of inputs) {
      for (let shift = -6; shift <= 6; shift++) {
        const exact = new Dec(text).times(new Dec(10).pow(shift));
        expect(shiftDecimal(text, shift), `${text} × 10^${shift}`).toBe(canonical(exact));
        for (const scale of [0, 2, 4]) {
          const expected = exact.decimalPlaces() > scale ? undefined : canonical(exact, scale);
          expect(shiftDecimal(text, shift, scale), `${text} × 10^${shift} scale ${scale}`).toBe(expected);
        }
      }
    }
  });
});
