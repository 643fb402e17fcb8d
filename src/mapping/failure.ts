/**
 * How the mapping compiler reports failures. Compile errors and runtime failures are both
 * DatongErrors whose `where.field` is the output field and `where.path` the input path; runtime
 * failures also carry the offending value (shortened in the message, raw in `details.value` when
 * it is a primitive) so an operator can see what arrived.
 */
import { DatongError, type ErrorParams } from '../errors/datong-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';

const MAX_SHOWN = 80;

/** A short, single-line rendering of a value for messages. */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = 'undefined';
  else if (typeof value === 'bigint') text = `${value}n`;
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

export interface FailureFacts {
  field: string;
  path?: string;
  value?: unknown;
  params?: ErrorParams;
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** A runtime failure of one field: names the field, the input path and the value. */
export function mapFailure(code: ErrorCode, facts: FailureFacts): DatongError {
  const shown = describeValue(facts.value);
  const primitive = facts.value === null || (typeof facts.value !== 'object' && typeof facts.value !== 'function');
  return new DatongError(code, {
    params: { field: facts.field, path: facts.path ?? facts.field, value: shown, ...facts.params },
    where: { field: facts.field, ...(facts.path !== undefined ? { path: facts.path } : {}) },
    details: { ...(primitive && facts.value !== undefined ? { value: facts.value } : {}), ...facts.details },
    cause: facts.cause,
  });
}

/** A compile-time problem with one field's rule. */
export function ruleError(field: string, reason: string, code: ErrorCode = 'DT_MAP_RULE', cause?: unknown): DatongError {
  return new DatongError(code, { params: { field, reason }, where: { field }, cause });
}

/**
 * Re-homes an error raised inside a nested (`each`) mapping: `sku` at element 2 of `lines`
 * read from `items` becomes field `lines[2].sku`, path `items[2].skuId`.
 */
export function nestError(error: DatongError, field: string, path: string | undefined, index: number): DatongError {
  const innerField = error.where.field;
  const innerPath = error.where.path;
  const newField = innerField ? `${field}[${index}].${innerField}` : `${field}[${index}]`;
  const base = path ?? field;
  const newPath = innerPath ? `${base}[${index}].${innerPath}` : `${base}[${index}]`;
  const params: ErrorParams = { ...error.params };
  if (params.field !== undefined) params.field = newField;
  if (params.path !== undefined) params.path = newPath;
  return new DatongError(error.code, {
    params,
    where: { ...error.where, field: newField, path: newPath },
    cause: error.cause,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    details: error.details,
  });
}

/** The same error attributed to another field name (compile-time names carry `[]` prefixes). */
export function withField(error: unknown, field: string): unknown {
  if (!(error instanceof DatongError)) return error;
  return new DatongError(error.code, {
    params: error.params.field !== undefined ? { ...error.params, field } : error.params,
    where: { ...error.where, field },
    cause: error.cause,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    details: error.details,
  });
}
