import type { DatongError } from '../errors/datong-error.ts';

/** What a mapping may know besides the record: the clock and the source system's zone. */
export interface MapContext {
  now: Date;
  /** IANA zone of the system the record came from; dates without their own zone use it. */
  sourceTimezone?: string;
}

export type MapResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: DatongError };

export interface CompiledMapping {
  readonly id: string;
  /** True when some field uses `expr` (JSONata); apply() then returns a Promise. */
  readonly isAsync: boolean;
  /** Maps one record. Never throws: failures come back as `{ ok: false }`. */
  apply(input: unknown, ctx: MapContext): MapResult | Promise<MapResult>;
}

export interface CompileOptions {
  /** Zone for dates when neither the rule nor the context names one; default Asia/Shanghai. */
  defaultTimezone?: string;
  /**
   * Generate the synchronous record loop as JavaScript (default true; see codegen.ts). False
   * keeps the closure loop, which does the same at about half the speed.
   */
  generateCode?: boolean;
}
