/**
 * Maps one HTTP answer to a write outcome. The rules (also in README.md):
 *
 * | answer                                              | outcome                                   |
 * |-----------------------------------------------------|-------------------------------------------|
 * | 2xx with `Idempotent-Replayed: true`                | unchanged, duplicate                      |
 * | other 2xx                                           | written (targetId = response JSON `id`)   |
 * | 409 whose body says duplicate / already exists      | unchanged, duplicate                      |
 * | 409 whose body says stale / older version           | unchanged, stale                          |
 * | 429                                                 | DT_TARGET_RATE_LIMITED, retryable         |
 * | 503                                                 | DT_TARGET_SERVER_ERROR, retryable         |
 * | other 5xx                                           | DT_TARGET_SERVER_ERROR, retryable         |
 * | 401, 403                                            | DT_TARGET_AUTH, not retryable             |
 * | other 4xx (and 1xx/3xx, never expected)             | DT_TARGET_REJECTED, not retryable         |
 *
 * 429 and 503 carry `retryAfterMs` from `Retry-After` (delta seconds or an HTTP date).
 */
import { DatongError } from '../../errors/datong-error.ts';
import type { WriteOutcome } from '../../sdk/connector.ts';
import { redact } from './auth.ts';
import type { HttpResponse } from './client.ts';

/** How much of a response body an error keeps in its details. */
export const BODY_EXCERPT_CHARS = 500;

const DUPLICATE = /duplicate|already (?:exists|applied|processed)|idempoten|重复|已存在/i;
const STALE = /stale|outdated|older version|newer version|version conflict|过期|旧版本/i;

export interface ClassifyContext {
  system: string;
  recordId?: string;
  /** Strings to scrub from anything copied out of the response. */
  secrets: readonly string[];
  now?: number;
}

export function classifyResponse(response: HttpResponse, context: ClassifyContext): WriteOutcome {
  const { status } = response;
  if (status >= 200 && status < 300) {
    const targetId = idOf(response.body);
    if (header(response, 'idempotent-replayed') === 'true') return { status: 'unchanged', reason: 'duplicate', ...(targetId ? { targetId } : {}) };
    return { status: 'written', ...(targetId ? { targetId } : {}) };
  }
  if (status === 409) {
    const targetId = idOf(response.body);
    const extra = targetId ? { targetId } : {};
    // Stale is checked first: "version conflict with an already applied write" is about the version.
    if (STALE.test(response.body)) return { status: 'unchanged', reason: 'stale', ...extra };
    if (DUPLICATE.test(response.body)) return { status: 'unchanged', reason: 'duplicate', ...extra };
  }
  return { status: 'failed', error: errorFor(response, context) };
}

export function errorFor(response: HttpResponse, context: ClassifyContext): DatongError {
  const { status } = response;
  const system = context.system;
  const where = { system, ...(context.recordId ? { recordId: context.recordId } : {}) };
  const excerpt = redact(response.body.slice(0, BODY_EXCERPT_CHARS), context.secrets);
  const details = { status, body: excerpt };
  const reason = `HTTP ${status}${excerpt ? ` ${oneLine(excerpt).slice(0, 160)}` : ''}`;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(header(response, 'retry-after'), context.now);
    return new DatongError('DT_TARGET_RATE_LIMITED', { params: { system, retryAfterMs: retryAfterMs ?? 'unknown' }, where, retryAfterMs, details });
  }
  if (status >= 500) {
    const retryAfterMs = status === 503 ? parseRetryAfter(header(response, 'retry-after'), context.now) : undefined;
    return new DatongError('DT_TARGET_SERVER_ERROR', { params: { system, status, reason }, where, retryAfterMs, details });
  }
  if (status === 401 || status === 403) {
    return new DatongError('DT_TARGET_AUTH', { params: { system, reason }, where, details });
  }
  return new DatongError('DT_TARGET_REJECTED', { params: { system, reason }, where, details });
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names its weekday or month; this keeps "-5" from parsing as a year.
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function idOf(body: string): string | undefined {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    const id = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { id?: unknown }).id : undefined;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    return undefined;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
