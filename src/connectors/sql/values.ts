/**
 * Record values → bindable driver values. Objects and arrays become JSON text (for json/jsonb
 * columns as much as for text ones); Dates become ISO text. SQLite's driver binds every JS number
 * as a REAL (5 would land in a TEXT column as '5.0') and binds no booleans, so integers and
 * booleans go to it as BigInts. Strings, including decimals such as "12345678901234.56", pass
 * through untouched: the database converts them exactly, no float ever holds them.
 */
import type { Dialect } from './identifiers.ts';

export function toDbValue(dialect: Dialect, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return dialect === 'sqlite' ? (value ? 1n : 0n) : value;
  if (dialect === 'sqlite' && typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !Buffer.isBuffer(value);
}
