import { DatongError } from '../../errors/datong-error.ts';
import type { Db } from '../../store/db.ts';
import { translateId } from '../../store/xref.ts';
import type { LiveConnector } from '../connector-pool.ts';
import { readString } from '../paths.ts';
import type { CompiledStep } from './step.ts';

interface LookupOptions {
  id: string;
  index: number;
  key: string;
  into: string;
  onMissing: 'fail' | 'null' | 'retry';
  cacheTtlMs: number;
  xref?: { system: string; entity: string };
  connector?: { live: () => LiveConnector; options: Record<string, unknown> };
  db: Db;
}

/** Enriches the payload with a value found by key in the cross-reference or through a connector, cached. */
export function lookupStep(options: LookupOptions): CompiledStep {
  const cache = new Map<string, { value: unknown; until: number }>();
  const where = options.xref ? `xref:${options.xref.entity}@${options.xref.system}` : 'connector';

  async function find(key: string, sourceSystem: string, signal: AbortSignal): Promise<unknown> {
    const cached = cache.get(key);
    if (cached && cached.until > Date.now()) return cached.value;
    let value: unknown;
    if (options.xref) {
      value = await translateId(options.db, options.xref.entity, sourceSystem, key, options.xref.system);
    } else if (options.connector) {
      const live = options.connector.live();
      const found = await live.limiter.run(() => live.connector.lookup!({ options: options.connector!.options, keys: [key] }, signal), signal);
      value = found.get(key);
    }
    if (value !== undefined && options.cacheTtlMs > 0) {
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { value, until: Date.now() + options.cacheTtlMs });
    }
    return value;
  }

  return {
    id: options.id,
    type: 'lookup',
    index: options.index,
    async run(payload, ctx) {
      const key = readString(payload, options.key);
      const value = key === undefined ? undefined : await find(key, ctx.envelope.sourceSystem, ctx.signal);
      if (value === undefined) {
        if (options.onMissing === 'null') return { kind: 'continue', payload: { ...(payload as object), [options.into]: null } };
        throw new DatongError('DT_LOOKUP_NOT_FOUND', {
          params: { what: options.key, key: key ?? '', system: where },
          retryable: options.onMissing === 'retry',
          where: { field: options.key },
        });
      }
      return { kind: 'continue', payload: { ...(payload as object), [options.into]: value } };
    },
  };
}
