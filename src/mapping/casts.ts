/**
 * The `cast` transform. Each cast returns INVALID instead of throwing so the caller can name
 * the field, path and value in one place. Casts are strict: "12.5" is not an integer, "abc" is
 * not a number, and only the listed spellings are booleans.
 */
import { canonical, toDecimal } from './decimals.ts';

export const INVALID: unique symbol = Symbol('invalid');
export type CastName = 'string' | 'integer' | 'number' | 'boolean' | 'decimal';
export type Cast = (value: unknown) => unknown;

const INTEGER_TEXT = /^[+-]?\d+(?:\.0*)?$/;
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const BOOLEANS = new Map<string, boolean>([
  ['true', true], ['false', false],
  ['1', true], ['0', false],
  ['y', true], ['n', false], ['Y', true], ['N', false],
  ['yes', true], ['no', false],
  ['是', true], ['否', false],
]);

function toString(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : INVALID;
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      return value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : INVALID;
  }
}

function toInteger(value: unknown): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : INVALID;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!INTEGER_TEXT.test(text)) return INVALID;
    const n = parseInt(text, 10);
    return Number.isSafeInteger(n) ? n : INVALID;
  }
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : INVALID;
  return INVALID;
}

function toNumber(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : INVALID;
  if (typeof value === 'string') {
    const text = value.trim();
    return NUMBER_TEXT.test(text) ? Number(text) : INVALID;
  }
  if (typeof value === 'bigint') return Number(value);
  return INVALID;
}

function toBoolean(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  if (value === 1) return true;
  if (value === 0) return false;
  if (typeof value === 'string') {
    const found = BOOLEANS.get(value) ?? BOOLEANS.get(value.trim().toLowerCase());
    return found === undefined ? INVALID : found;
  }
  return INVALID;
}

function toDecimalText(value: unknown): unknown {
  const d = toDecimal(value);
  return d ? canonical(d) : INVALID;
}

export const CASTS: Record<CastName, Cast> = {
  string: toString,
  integer: toInteger,
  number: toNumber,
  boolean: toBoolean,
  decimal: toDecimalText,
};
