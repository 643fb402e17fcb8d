import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import { DatongError } from '../errors/datong-error.ts';
import { compileDateRule, type DateRule } from './dates.ts';
import type { MapContext } from './types.ts';

const ctx: MapContext = { now: new Date('2026-11-22T12:00:00.000Z') };

function convert(rule: DateRule, value: unknown, context: MapContext = ctx, defaultTimezone?: string): string | number {
  return compileDateRule(rule, { field: '下单时间', path: 'created', defaultTimezone })(value, context);
}

function thrown(fn: () => unknown): DatongError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DatongError);
    return error as DatongError;
  }
  throw new Error('expected an error');
}

describe('date transform', () => {
  it('reads DD/MM/YYYY HH:mm in Asia/Shanghai by default and writes ISO with +08:00', () => {
    expect(convert({ format: 'dd/MM/yyyy HH:mm' }, '22/11/2026 20:45')).toBe('2026-11-22T20:45:00.000+08:00');
    expect(convert({ format: 'dd/MM/yyyy HH:mm', output: 'date' }, '01/01/2027 00:05')).toBe('2027-01-01');
    expect(convert({ format: 'dd/MM/yyyy HH:mm', output: 'epoch-ms' }, '22/11/2026 20:45')).toBe(Date.UTC(2026, 10, 22, 12, 45));
  });

  it('reads Chinese formats and single-digit fields', () => {
    expect(convert({ format: "yyyy年M月d日 H时mm分" }, '2026年3月9日 8时05分')).toBe('2026-03-09T08:05:00.000+08:00');
    expect(convert({ format: 'yyyyMMddHHmmssSSS' }, '20261122204537123')).toBe('2026-11-22T20:45:37.123+08:00');
  });

  it('falls back to Luxon for formats the fast parser does not cover', () => {
    expect(convert({ format: 'MMM d, yyyy h:mm a' }, 'Nov 22, 2026 8:45 PM')).toBe('2026-11-22T20:45:00.000+08:00');
    expect(convert({ format: 'dd/MM/yyyy HH:mm' }, '22/11/2026 24:00')).toBe('2026-11-23T00:00:00.000+08:00');
  });

  it('agrees with Luxon on many fast-parsed values', () => {
    const rule = { format: 'dd/MM/yyyy HH:mm:ss', timezone: 'Asia/Shanghai' };
    for (let i = 0; i < 500; i++) {
      const ms = Date.UTC(1995, 0, 1) + i * 1_987_654_321;
      const text = DateTime.fromMillis(ms, { zone: 'Asia/Shanghai' }).toFormat('dd/MM/yyyy HH:mm:ss');
      const expected = DateTime.fromFormat(text, 'dd/MM/yyyy HH:mm:ss', { zone: 'Asia/Shanghai' }).toISO();
      expect(convert(rule, text)).toBe(expected);
    }
  });

  it('uses the historical offset: Shanghai kept summer time in 1988', () => {
    expect(convert({ format: 'yyyy-MM-dd HH:mm' }, '1988-06-15 12:00')).toBe('1988-06-15T12:00:00.000+09:00');
  });

  it('resolves zones: rule, then context, then compile default', () => {
    expect(convert({ format: 'yyyy-MM-dd HH:mm', timezone: 'America/New_York' }, '2026-07-01 09:00', { ...ctx, sourceTimezone: 'Asia/Tokyo' })).toBe('2026-07-01T09:00:00.000-04:00');
    expect(convert({ format: 'yyyy-MM-dd HH:mm' }, '2026-07-01 09:00', { ...ctx, sourceTimezone: 'Asia/Tokyo' })).toBe('2026-07-01T09:00:00.000+09:00');
    expect(convert({ format: 'yyyy-MM-dd HH:mm' }, '2026-07-01 09:00', ctx, 'Asia/Kolkata')).toBe('2026-07-01T09:00:00.000+05:30');
  });

  it('handles DST: skipped times move forward, repeated times take the earlier instant', () => {
    const rule = { format: 'yyyy-MM-dd HH:mm', timezone: 'Europe/Berlin' };
    expect(convert(rule, '2026-03-29 02:30')).toBe('2026-03-29T03:30:00.000+02:00');
    expect(convert(rule, '2026-10-25 02:30')).toBe('2026-10-25T02:30:00.000+02:00');
    expect(convert(rule, '2026-10-25 03:30')).toBe('2026-10-25T03:30:00.000+01:00');
    expect(convert(rule, '2026-01-15 10:00')).toBe('2026-01-15T10:00:00.000+01:00');
  });

  it('reads epoch seconds and milliseconds, numbers or digit strings', () => {
    expect(convert({ format: 'epoch-s' }, 1795351500)).toBe('2026-11-22T20:45:00.000+08:00');
    expect(convert({ format: 'epoch-s' }, '1795351500')).toBe('2026-11-22T20:45:00.000+08:00');
    expect(convert({ format: 'epoch-ms', timezone: 'UTC' }, 1795351500123)).toBe('2026-11-22T12:45:00.123+00:00');
  });

  it('reads ISO with or without an offset, and Date objects', () => {
    expect(convert({ format: 'iso' }, '2026-11-22T20:45')).toBe('2026-11-22T20:45:00.000+08:00');
    expect(convert({ format: 'iso' }, '2026-11-22T12:45:00Z')).toBe('2026-11-22T20:45:00.000+08:00');
    expect(convert({ format: 'iso' }, '2026-11-22T20:45:00+09:00')).toBe('2026-11-22T19:45:00.000+08:00');
    expect(convert({ format: 'iso', output: 'date' }, '2026-11-22')).toBe('2026-11-22');
    expect(convert({ format: 'dd/MM/yyyy' }, new Date('2026-11-22T12:45:00Z'))).toBe('2026-11-22T20:45:00.000+08:00');
  });

  it('agrees with Luxon on ISO shapes', () => {
    const samples = ['2026-11-22', '2026-11-22T20:45', '2026-11-22T20:45:07.5', '2026-11-22T20:45:07.123456Z', '2026-11-22T20:45:07+0530', '2026-11-22T20:45-03:00', '2024-02-29T00:00:00.000+08:00', '2026-W47-7', '2026-326'];
    for (const text of samples) {
      const parsed = DateTime.fromISO(text, { zone: 'Asia/Shanghai' }).setZone('Asia/Shanghai');
      expect(convert({ format: 'iso' }, text), text).toBe(parsed.toISO());
    }
    expect(() => convert({ format: 'iso' }, '2026-02-30T10:00')).toThrow(DatongError);
    // Beyond Luxon: the SQL-style space separator.
    expect(convert({ format: 'iso' }, '2026-11-22 20:45:07')).toBe('2026-11-22T20:45:07.000+08:00');
  });

  it('fails values that do not match, naming field, path, value and format', () => {
    for (const bad of ['2026-11-22 20:45', '29/02/2026 10:00', '22/13/2026 10:00', '', 20261122]) {
      const error = thrown(() => convert({ format: 'dd/MM/yyyy HH:mm' }, bad));
      expect(error.code).toBe('DT_MAP_DATE');
      expect(error.where).toEqual({ field: '下单时间', path: 'created' });
      expect(error.params.format).toBe('dd/MM/yyyy HH:mm');
    }
    expect(thrown(() => convert({ format: 'epoch-s' }, '昨天')).code).toBe('DT_MAP_DATE');
  });

  it('accepts 29 February in leap years only', () => {
    expect(convert({ format: 'dd/MM/yyyy' }, '29/02/2028')).toBe('2028-02-29T00:00:00.000+08:00');
  });

  it('rejects unusable settings at compile time', () => {
    expect(thrown(() => compileDateRule({ format: 'HH:mm' }, { field: 't' })).code).toBe('DT_MAP_DATE_FORMAT');
    expect(thrown(() => compileDateRule({ format: '' }, { field: 't' })).code).toBe('DT_MAP_DATE_FORMAT');
    expect(thrown(() => compileDateRule({ format: 'iso', timezone: '北京' }, { field: 't' })).where.field).toBe('t');
    expect(thrown(() => compileDateRule({ format: 'iso', output: 'unix' as 'iso' }, { field: 't' })).code).toBe('DT_MAP_DATE_FORMAT');
  });

  it('fails an unknown context zone at run time', () => {
    const error = thrown(() => convert({ format: 'iso' }, '2026-11-22T20:45', { ...ctx, sourceTimezone: 'Mars/Olympus' }));
    expect(error.code).toBe('DT_MAP_DATE_FORMAT');
  });
});
