/**
 * The `date` transform: reads a date in a given format and zone, writes it as ISO 8601 with its
 * offset (`2026-11-22T20:45:00.000+08:00`, always milliseconds and a numeric offset), as a
 * calendar date (`2026-11-22`) or as epoch milliseconds.
 *
 * Formats: Luxon tokens (`dd/MM/yyyy HH:mm`), `iso` (ISO 8601; also with a space instead of
 * `T`, as SQL prints it), `epoch-ms`, `epoch-s`. A Date object is accepted whatever the format.
 *
 * Zone of the input: the rule's `timezone`, else the context's `sourceTimezone`, else the
 * compile option `defaultTimezone`, else Asia/Shanghai. The output is in that same zone.
 * Wall-clock times are resolved deterministically: a repeated time takes the earlier instant, a
 * skipped time moves forward (see ZoneInfo.offsetForLocal).
 */
import { DateTime } from 'luxon';
import { mapFailure, ruleError } from './failure.ts';
import { compileFastParser, parseIsoFast, tokenizeFormat, dateFromFields, fieldsAt, isoFromFields, localMillis, type Fields } from './date-format.ts';
import { getZone, type ZoneInfo } from './zones.ts';
import type { MapContext } from './types.ts';

export interface DateRule {
  format: string;
  timezone?: string;
  output?: 'iso' | 'date' | 'epoch-ms';
}

export type DateConverter = (value: unknown, ctx: MapContext) => string | number;

export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

const OUTPUTS = new Set(['iso', 'date', 'epoch-ms']);
const ISO_WITH_OFFSET = /[T ]\d{2}(?::?\d{2}(?::?\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;
const EPOCH_TEXT = /^-?\d+(?:\.\d+)?$/;
/** A wall-clock time with every field distinct, to prove a format round-trips a full date. */
const PROBE = DateTime.fromObject({ year: 2003, month: 7, day: 29, hour: 14, minute: 47, second: 53, millisecond: 123 }, { zone: 'UTC' });

export interface DateFacts {
  field: string;
  path?: string;
  defaultTimezone?: string;
}

function zoneOrThrow(field: string, name: string, what: string): ZoneInfo {
  const zone = getZone(name);
  if (!zone) throw ruleError(field, `${what} "${name}" is not a known IANA time zone`, 'DT_MAP_DATE_FORMAT');
  return zone;
}

function checkFormat(field: string, format: string): void {
  if (format.trim() === '') throw ruleError(field, 'the format is empty', 'DT_MAP_DATE_FORMAT');
  const text = PROBE.toFormat(format);
  const back = DateTime.fromFormat(text, format, { zone: 'UTC' });
  if (!back.isValid || back.year !== PROBE.year) {
    throw ruleError(field, `format "${format}" does not read back a full date (it renders ${JSON.stringify(text)})`, 'DT_MAP_DATE_FORMAT');
  }
}

export function compileDateRule(rule: DateRule, facts: DateFacts): DateConverter {
  const { field, path } = facts;
  if (!rule || typeof rule.format !== 'string') throw ruleError(field, 'date needs a format', 'DT_MAP_DATE_FORMAT');
  const format = rule.format;
  const output = rule.output ?? 'iso';
  if (!OUTPUTS.has(output)) throw ruleError(field, `unknown date output "${String(output)}"`, 'DT_MAP_DATE_FORMAT');
  const ruleZone = rule.timezone !== undefined ? zoneOrThrow(field, rule.timezone, 'timezone') : undefined;
  const fallbackName = facts.defaultTimezone ?? DEFAULT_TIMEZONE;
  zoneOrThrow(field, fallbackName, 'default timezone');

  const kind = format === 'iso' || format === 'epoch-ms' || format === 'epoch-s' ? format : 'custom';
  if (kind === 'custom') checkFormat(field, format);
  const fast = kind === 'custom' ? compileFastParser(format) : undefined;
  // Luxon tokens that carry their own offset or instant: the parsed instant is taken as is.
  const zoned = kind === 'custom' && tokenizeFormat(format).some((t) => !t.literal && /^[ZzXx]+$/.test(t.text));
  const scratch: Fields = [0, 0, 0, 0, 0, 0, 0];

  let lastName: string | undefined;
  let lastZone: ZoneInfo | undefined;
  const zoneFor = (ctx: MapContext): ZoneInfo => {
    if (ruleZone) return ruleZone;
    const name = ctx.sourceTimezone ?? fallbackName;
    if (name !== lastName) {
      const zone = getZone(name);
      if (!zone) throw mapFailure('DT_MAP_DATE_FORMAT', { field, path, value: name, params: { reason: `source timezone "${name}" is not a known IANA time zone` } });
      lastName = name;
      lastZone = zone;
    }
    return lastZone!;
  };

  const render = (utcMs: number, zone: ZoneInfo): string | number => {
    if (output === 'epoch-ms') return utcMs;
    const offset = zone.offsetAt(utcMs);
    fieldsAt(utcMs, offset, scratch);
    return output === 'iso' ? isoFromFields(scratch, offset) : dateFromFields(scratch);
  };

  /** The instant for a wall-clock time in `zone`. */
  const instantOfLocal = (localMs: number, zone: ZoneInfo): number => localMs - zone.offsetForLocal(localMs) * 60_000;

  /** Luxon and the epoch/ISO readers: the slow, complete path. NaN when the value does not parse. */
  const parseSlow = (value: unknown, zone: ZoneInfo): number => {
    if (value instanceof Date) return value.getTime();
    if (kind === 'epoch-ms' || kind === 'epoch-s') {
      const n = typeof value === 'number' ? value : typeof value === 'string' && EPOCH_TEXT.test(value) ? Number(value) : NaN;
      return Math.round(kind === 'epoch-s' ? n * 1000 : n);
    }
    if (typeof value !== 'string') return NaN;
    const parsed = kind === 'iso' ? DateTime.fromISO(value, { zone: 'UTC' }) : DateTime.fromFormat(value, format, { zone: 'UTC' });
    if (!parsed.isValid) return NaN;
    const hasOwnOffset = kind === 'iso' ? ISO_WITH_OFFSET.test(value) : zoned;
    return hasOwnOffset ? parsed.toMillis() : instantOfLocal(parsed.toMillis(), zone);
  };

  return (value, ctx) => {
    const zone = zoneFor(ctx);
    if (fast !== undefined && typeof value === 'string' && fast(value, scratch)) {
      const localMs = localMillis(scratch);
      const offset = zone.offsetForLocal(localMs);
      const utcMs = localMs - offset * 60_000;
      if (output === 'epoch-ms') return utcMs;
      // Outside a gap the wall clock read is the one written; inside one it moved forward.
      if (zone.offsetAt(utcMs) === offset) return output === 'iso' ? isoFromFields(scratch, offset) : dateFromFields(scratch);
      return render(utcMs, zone);
    }
    if (kind === 'iso' && typeof value === 'string') {
      const explicit = parseIsoFast(value, scratch);
      if (explicit !== undefined) {
        const localMs = localMillis(scratch);
        return render(explicit === null ? instantOfLocal(localMs, zone) : localMs - explicit * 60_000, zone);
      }
    }
    const utcMs = parseSlow(value, zone);
    if (!Number.isFinite(utcMs) || Math.abs(utcMs) > 8.64e15) {
      throw mapFailure('DT_MAP_DATE', { field, path, value, params: { format } });
    }
    return render(utcMs, zone);
  };
}
