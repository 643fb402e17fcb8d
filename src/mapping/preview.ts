/**
 * Mapping preview for the API and console: compile a mapping that may not be saved yet and run
 * it on sample records. Nothing is thrown; a compile error is reported for every sample (or
 * once, when there are no samples), in the same shape as a per-sample failure.
 */
import { toDatongError, type ErrorLocation, type ErrorParams } from '../errors/datong-error.ts';
import type { MappingFile } from '../workspace/schema.ts';
import { compileMapping } from './compile-mapping.ts';
import type { CompileOptions, MapContext } from './types.ts';

export interface PreviewError {
  code: string;
  message: string;
  /** The message in Chinese, for the console. */
  messageZh: string;
  params: ErrorParams;
  where: ErrorLocation;
  details?: Record<string, unknown>;
  /** True when the mapping itself did not compile (no sample was run). */
  compile?: boolean;
}

export type PreviewItem = { ok: true; output: Record<string, unknown> } | { ok: false; error: PreviewError };

function describe(error: unknown, compile: boolean): PreviewError {
  const e = toDatongError(error);
  return {
    code: e.code,
    message: e.message,
    messageZh: e.localized('zh'),
    params: e.params,
    where: e.where,
    ...(e.details && Object.keys(e.details).length > 0 ? { details: e.details } : {}),
    ...(compile ? { compile: true } : {}),
  };
}

export async function previewMapping(id: string, spec: MappingFile, samples: unknown[], ctx: MapContext, options?: CompileOptions): Promise<PreviewItem[]> {
  let mapping;
  try {
    mapping = compileMapping(id, spec, options);
  } catch (error) {
    const failure: PreviewItem = { ok: false, error: describe(error, true) };
    return samples.length === 0 ? [failure] : samples.map(() => failure);
  }
  const items: PreviewItem[] = [];
  for (const sample of samples) {
    const result = await mapping.apply(sample, ctx);
    items.push(result.ok ? { ok: true, output: result.value } : { ok: false, error: describe(result.error, false) });
  }
  return items;
}
