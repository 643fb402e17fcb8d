/**
 * The fast side of date handling: a parser compiled from a Luxon format made only of numeric
 * fields (yyyy MM M dd d HH H mm m ss s SSS) and literals, and ISO 8601 rendering from wall-clock
 * fields. Luxon's own parser costs ~40 µs a value (a regex built per call, Intl for the zone);
 * this one costs well under 1 µs. It accepts a strict subset of what Luxon accepts: whenever it
 * says no, the caller asks Luxon, so the two can never disagree on a value this one accepts.
 * The ISO reader likewise covers the common shapes (plus a space for `T`) and defers the rest.
 */

/** Wall-clock fields, in this order: year, month, day, hour, minute, second, millisecond. */
export type Fields = [number, number, number, number, number, number, number];
export type FastParser = (text: string, into: Fields) => boolean;

const NUMERIC_TOKENS: Record<string, readonly [unit: number, min: number, max: number]> = {
  yyyy: [0, 4, 4],
  MM: [1, 2, 2],
  M: [1, 1, 2],
  dd: [2, 2, 2],
  d: [2, 1, 2],
  HH: [3, 2, 2],
  H: [3, 1, 2],
  mm: [4, 2, 2],
  m: [4, 1, 2],
  ss: [5, 2, 2],
  s: [5, 1, 2],
  SSS: [6, 3, 3],
};

interface FormatToken {
  literal: boolean;
  text: string;
}

/** Splits a format the way Luxon's Formatter.parseFormat does: quoted text, runs of one char. */
export function tokenizeFormat(format: string): FormatToken[] {
  const tokens: FormatToken[] = [];
  let current = '';
  let run = '';
  let quoted = false;
  for (const ch of format) {
    if (ch === "'") {
      if (run.length > 0 || quoted) tokens.push({ literal: quoted || /^\s+$/.test(run), text: run === '' ? "'" : run });
      current = '';
      run = '';
      quoted = !quoted;
    } else if (quoted) run += ch;
    else if (ch === current) run += ch;
    else {
      if (run.length > 0) tokens.push({ literal: /^\s+$/.test(run), text: run });
      run = ch;
      current = ch;
    }
  }
  if (run.length > 0) tokens.push({ literal: quoted || /^\s+$/.test(run), text: run });
  return tokens;
}

/**
 * A parser for formats built from numeric fields and literals that fix a full date; undefined
 * for anything else (month names, 12-hour clocks, offsets…), which Luxon then handles.
 */
export function compileFastParser(format: string): FastParser | undefined {
  const literals: (string | null)[] = [];
  const units: number[] = [];
  const mins: number[] = [];
  const maxs: number[] = [];
  const seen = new Set<number>();
  for (const token of tokenizeFormat(format)) {
    const numeric = token.literal ? undefined : NUMERIC_TOKENS[token.text];
    if (numeric) {
      literals.push(null);
      units.push(numeric[0]);
      mins.push(numeric[1]);
      maxs.push(numeric[2]);
      seen.add(numeric[0]);
    } else if (!token.literal && /[A-Za-z]/.test(token.text)) {
      return undefined;
    } else {
      literals.push(token.text);
      units.push(-1);
      mins.push(0);
      maxs.push(0);
    }
  }
  if (!seen.has(0) || !seen.has(1) || !seen.has(2)) return undefined;
  const count = literals.length;
  return (text, into) => {
    into[0] = 0; into[1] = 1; into[2] = 1; into[3] = 0; into[4] = 0; into[5] = 0; into[6] = 0;
    const length = text.length;
    let pos = 0;
    for (let t = 0; t < count; t++) {
      const literal = literals[t];
      if (literal !== null) {
        if (!text.startsWith(literal!, pos)) return false;
        pos += literal!.length;
        continue;
      }
      const max = maxs[t]!;
      let value = 0;
      let digits = 0;
      while (digits < max && pos < length) {
        const d = text.charCodeAt(pos) - 48;
        if (d < 0 || d > 9) break;
        value = value * 10 + d;
        pos++;
        digits++;
      }
      if (digits < mins[t]!) return false;
      into[units[t]!] = value;
    }
    return pos === length && validFields(into);
  };
}

const ISO_FAST = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?)?$/i;

/**
 * The common ISO 8601 shapes (`2026-11-22`, `2026-11-22T20:45[:00[.123]][Z|+08:00]`, a space
 * instead of T). Returns the explicit offset in minutes, null when the text has none, or
 * undefined when the text is not one of these shapes (the caller then asks Luxon).
 */
export function parseIsoFast(text: string, into: Fields): number | null | undefined {
  const m = ISO_FAST.exec(text);
  if (m === null) return undefined;
  into[0] = +m[1]!;
  into[1] = +m[2]!;
  into[2] = +m[3]!;
  into[3] = m[4] === undefined ? 0 : +m[4];
  into[4] = m[5] === undefined ? 0 : +m[5];
  into[5] = m[6] === undefined ? 0 : +m[6];
  // Like Luxon: fractions beyond milliseconds are cut, not rounded.
  into[6] = m[7] === undefined ? 0 : +(m[7] + '00').slice(0, 3);
  if (!validFields(into)) return undefined;
  if (m[8] !== undefined) return 0;
  if (m[9] === undefined) return null;
  const offset = +m[10]! * 60 + +m[11]!;
  return m[9] === '-' ? -offset : offset;
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validFields(f: Fields): boolean {
  const [year, month, day, hour, minute, second] = f;
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  if (day <= DAYS_IN_MONTH[month]!) return true;
  return month === 2 && day === 29 && (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0));
}

/** Milliseconds of a wall-clock time read as if it were UTC (years ≥ 100, see validFields). */
export function localMillis(f: Fields): number {
  return Date.UTC(f[0], f[1] - 1, f[2], f[3], f[4], f[5], f[6]);
}

const PAD2 = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const suffixes = new Map<number, string>();

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

function year(y: number): string {
  if (y >= 1000 && y <= 9999) return String(y);
  if (y >= 0 && y < 1000) return String(y).padStart(4, '0');
  return (y < 0 ? '-' : '+') + String(Math.abs(y)).padStart(6, '0');
}

/** `+08:00`; always the numeric form, never `Z`, so every output has the same shape. */
let lastOffset = 480;
let lastSuffix = '+08:00';

export function offsetSuffix(minutes: number): string {
  if (minutes === lastOffset) return lastSuffix;
  let suffix = suffixes.get(minutes);
  if (suffix === undefined) {
    const abs = Math.abs(minutes);
    suffix = `${minutes < 0 ? '-' : '+'}${PAD2[Math.floor(abs / 60)]}:${PAD2[abs % 60]}`;
    suffixes.set(minutes, suffix);
  }
  lastOffset = minutes;
  lastSuffix = suffix;
  return suffix;
}

/** `2026-11-22T20:45:00.000+08:00` from wall-clock fields and their offset. */
export function isoFromFields(f: Fields, offsetMinutes: number): string {
  return `${year(f[0])}-${PAD2[f[1]]}-${PAD2[f[2]]}T${PAD2[f[3]]}:${PAD2[f[4]]}:${PAD2[f[5]]}.${pad3(f[6])}${offsetSuffix(offsetMinutes)}`;
}

export function dateFromFields(f: Fields): string {
  return `${year(f[0])}-${PAD2[f[1]]}-${PAD2[f[2]]}`;
}

/**
 * The wall-clock fields of an instant at a given offset, by integer arithmetic (H. Hinnant's
 * civil_from_days) rather than a Date object and seven getter calls.
 */
export function fieldsAt(utcMs: number, offsetMinutes: number, into: Fields): Fields {
  const local = utcMs + offsetMinutes * 60_000;
  const days = Math.floor(local / 86_400_000);
  let rest = local - days * 86_400_000;
  into[3] = Math.floor(rest / 3_600_000);
  rest -= into[3] * 3_600_000;
  into[4] = Math.floor(rest / 60_000);
  rest -= into[4] * 60_000;
  into[5] = Math.floor(rest / 1000);
  into[6] = rest - into[5] * 1000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  into[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
  into[1] = mp < 10 ? mp + 3 : mp - 9;
  into[0] = yoe + era * 400 + (into[1] <= 2 ? 1 : 0);
  return into;
}
