/**
 * Array batches: several items in one request. The body is a JSON array of the items' data, in
 * order. The request's `Idempotency-Key` is derived from the items' keys and versions, so a retry
 * of the same batch carries the same key (a batch the engine regroups gets a new one).
 *
 * A 2xx answer whose body is a JSON array with one element per item is read element by element:
 * `{ "status": "duplicate" | "stale" }` → unchanged, `{ "error": … }` → rejected, anything else →
 * written (targetId from `id`). A 2xx with `Idempotent-Replayed: true` means the whole batch was
 * applied before (all unchanged); any other 2xx means every item was written; a non-2xx answer
 * applies to every item of the batch.
 */
import { createHash } from 'node:crypto';
import { DatongError } from '../../errors/datong-error.ts';
import type { WriteItem, WriteOutcome } from '../../sdk/connector.ts';
import { redact } from './auth.ts';

export function batchIdempotencyKey(items: readonly WriteItem[]): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(`${item.idempotencyKey}\u0000${item.version ?? ''}\u0001`);
  return `batch-${hash.digest('hex').slice(0, 40)}`;
}

export function batchOutcomes(
  items: readonly WriteItem[],
  response: { body: string; replayed: boolean },
  context: { system: string; secrets: readonly string[] },
): WriteOutcome[] {
  if (response.replayed) return items.map(() => ({ status: 'unchanged', reason: 'duplicate' }));
  const body = response.body;
  const elements = parseArray(body);
  if (!elements || elements.length !== items.length) return items.map(() => ({ status: 'written' }));
  return items.map((item, index): WriteOutcome => {
    const element = elements[index];
    if (!element || typeof element !== 'object') return { status: 'written' };
    const { id, status, error } = element as { id?: unknown; status?: unknown; error?: unknown };
    const targetId = typeof id === 'string' || typeof id === 'number' ? { targetId: String(id) } : {};
    if (status === 'duplicate' || status === 'stale') return { status: 'unchanged', reason: status, ...targetId };
    if (error !== undefined && error !== null) {
      const reason = redact(typeof error === 'string' ? error : JSON.stringify(error), context.secrets).slice(0, 200);
      return {
        status: 'failed',
        error: new DatongError('DT_TARGET_REJECTED', { params: { system: context.system, reason }, where: { system: context.system, recordId: item.recordId } }),
      };
    }
    return { status: 'written', ...targetId };
  });
}

function parseArray(body: string): unknown[] | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
