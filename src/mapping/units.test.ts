import { describe, it, expect } from 'vitest';
import { DatongError } from '../errors/datong-error.ts';
import { compileUnitRule } from './units.ts';

function convert(from: string, to: string, value: unknown): string {
  return compileUnitRule({ from, to }, { field: '重量', path: 'weight' })(value);
}

describe('unit transform', () => {
  it('converts mass, including 斤 and 两', () => {
    expect(convert('g', 'kg', 1250)).toBe('1.25');
    expect(convert('kg', 'g', '0.5')).toBe('500');
    expect(convert('斤', 'kg', 3)).toBe('1.5');
    expect(convert('kg', '斤', '2.5')).toBe('5');
    expect(convert('两', '克', 2)).toBe('100');
    expect(convert('jin', '两', 1)).toBe('10');
    expect(convert('t', '公斤', '1.2')).toBe('1200');
    expect(convert('mg', 'g', 5)).toBe('0.005');
  });

  it('converts length, volume and piece counts', () => {
    expect(convert('cm', 'm', 175)).toBe('1.75');
    expect(convert('公里', '米', '3.2')).toBe('3200');
    expect(convert('mm', 'cm', 5)).toBe('0.5');
    expect(convert('ml', 'L', 2500)).toBe('2.5');
    expect(convert('升', '毫升', '1.5')).toBe('1500');
    expect(convert('个', 'pcs', 12)).toBe('12');
  });

  it('is exact where floating point is not', () => {
    expect(0.1 * 3 * 1000).not.toBe(300);
    expect(convert('kg', 'g', '0.3')).toBe('300');
    expect(convert('g', '斤', 1)).toBe('0.002');
  });

  it('fails non-numeric values at run time', () => {
    expect(() => convert('g', 'kg', '一斤')).toThrow(DatongError);
  });

  it('rejects unknown units and mixed kinds at compile time with DT_MAP_UNIT', () => {
    for (const [from, to] of [['磅', 'kg'], ['kg', 'm'], ['个', 'kg']]) {
      try {
        compileUnitRule({ from: from!, to: to! }, { field: '重量' });
        throw new Error('expected a compile error');
      } catch (error) {
        expect((error as DatongError).code).toBe('DT_MAP_UNIT');
        expect((error as DatongError).where.field).toBe('重量');
      }
    }
  });
});
