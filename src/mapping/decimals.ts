/**
 * Exact decimal arithmetic for money and quantities, with decimal.js. Results are canonical
 * decimal strings: no exponent, no trailing zeros unless a scale asks for them, never "-0".
 * Scaling by a power of ten (fen → yuan, g → kg) is done by moving the decimal point in the
 * text, which is exact and ~20× cheaper than going through decimal.js; anything that would need
 * rounding, or input that is not plain digits, takes the decimal.js path.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import { mapFailure, ruleError } from './failure.ts';

export const Dec = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
export type Dec = InstanceType<typeof Dec>;

export type RoundingName = 'half-up' | 'half-even' | 'down' | 'up';
export const ROUNDING: Record<RoundingName, DecimalJs.Rounding> = {
  'half-up': DecimalJs.ROUND_HALF_UP,
  'half-even': DecimalJs.ROUND_HALF_EVEN,
  down: DecimalJs.ROUND_DOWN,
  up: DecimalJs.ROUND_UP,
};

const DECIMAL_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const PLAIN_TEXT = /^[+-]?\d+(?:\.\d+)?$/;

/** A Decimal for a number, a numeric string (plain or exponent form) or a bigint; else undefined. */
export function toDecimal(value: unknown): Dec | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Dec(value) : undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    return DECIMAL_TEXT.test(text) ? new Dec(text) : undefined;
  }
  if (typeof value === 'bigint') return new Dec(value.toString());
  if (value instanceof DecimalJs) return new Dec(value);
  return undefined;
}

/** Canonical text of a Decimal, optionally fixed to `scale` digits after the point. */
export function canonical(value: Dec, scale?: number, rounding: DecimalJs.Rounding = DecimalJs.ROUND_HALF_UP): string {
  const text = scale === undefined ? value.toFixed() : value.toFixed(scale, rounding);
  return text.charCodeAt(0) === 45 && /^-0(?:\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** Plain-digit text of a value, when it has one: safe integers and strings like "-12.50". */
function plainText(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value === 'string') return PLAIN_TEXT.test(value) ? value : undefined;
  return undefined;
}

const ZEROS = Array.from({ length: 41 }, (_, i) => '0'.repeat(i));

/**
 * `text × 10^shift` by moving the point; `undefined` when `scale` would need rounding.
 * `text` must be plain digits with an optional sign and fraction.
 */
export function shiftDecimal(text: string, shift: number, scale?: number): string | undefined {
  let start = 0;
  const first = text.charCodeAt(0);
  const negative = first === 45;
  if (negative || first === 43) start = 1;
  const dot = text.indexOf('.', start);
  const intDigits = dot < 0 ? (start === 0 ? text : text.slice(start)) : text.slice(start, dot);
  let digits = dot < 0 ? intDigits : intDigits + text.slice(dot + 1);
  let point = intDigits.length + shift;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits += '0'.repeat(point - digits.length);
  }
  let lead = 0;
  while (lead < point - 1 && digits.charCodeAt(lead) === 48) lead++;
  const intPart = point === 0 ? '0' : digits.slice(lead, point);
  let end = digits.length;
  while (end > point && digits.charCodeAt(end - 1) === 48) end--;
  let frac = end > point ? digits.slice(point, end) : '';
  if (scale !== undefined) {
    if (frac.length > scale) return undefined;
    if (frac.length < scale) frac += scale - frac.length < ZEROS.length ? ZEROS[scale - frac.length] : '0'.repeat(scale - frac.length);
  }
  const body = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  const zero = end <= point && intPart === '0';
  return negative && !zero ? `-${body}` : body;
}

/** The exponent k when `value` is exactly 10^k, else undefined. */
export function powerOfTen(value: Dec): number | undefined {
  if (value.isZero() || value.isNegative()) return undefined;
  const k = Math.round(Math.log10(value.toNumber()));
  return Number.isFinite(k) && new Dec(10).pow(k).eq(value) ? k : undefined;
}

export interface DecimalRule {
  scale?: number;
  divide?: number | string;
  multiply?: number | string;
  rounding?: RoundingName;
}

export interface DecimalFacts {
  field: string;
  path?: string;
}

function factor(field: string, what: string, raw: number | string | undefined): Dec | undefined {
  if (raw === undefined) return undefined;
  const value = toDecimal(raw);
  if (!value) throw ruleError(field, `decimal.${what} must be a number, got ${JSON.stringify(raw)}`);
  if (what === 'divide' && value.isZero()) throw ruleError(field, 'decimal.divide must not be 0');
  return value;
}

/** The `decimal` transform: (value) → canonical decimal string. */
export function compileDecimalRule(rule: DecimalRule, facts: DecimalFacts): (value: unknown) => string {
  const { field, path } = facts;
  const scale = rule.scale;
  if (scale !== undefined && !(Number.isInteger(scale) && scale >= 0 && scale <= 18)) throw ruleError(field, 'decimal.scale must be an integer from 0 to 18');
  if (rule.rounding !== undefined && !Object.hasOwn(ROUNDING, rule.rounding)) throw ruleError(field, `unknown rounding "${String(rule.rounding)}"`);
  const rounding = ROUNDING[rule.rounding ?? 'half-up'];
  const multiply = factor(field, 'multiply', rule.multiply);
  const divide = factor(field, 'divide', rule.divide);
  const ratio = (multiply ?? new Dec(1)).div(divide ?? new Dec(1));
  const mExp = multiply ? powerOfTen(multiply) : 0;
  const dExp = divide ? powerOfTen(divide) : 0;
  const shift = mExp !== undefined && dExp !== undefined ? mExp - dExp : undefined;

  return (value) => {
    if (shift !== undefined) {
      const text = plainText(value);
      if (text !== undefined) {
        const fast = shiftDecimal(text, shift, scale);
        if (fast !== undefined) return fast;
      }
    }
    const d = toDecimal(value);
    if (!d) throw mapFailure('DT_MAP_CAST', { field, path, value, params: { type: 'decimal' } });
    return canonical(d.times(ratio), scale, rounding);
  };
}
