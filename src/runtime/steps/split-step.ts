import { DatongError } from '../../errors/datong-error.ts';
import { readPath, readString } from '../paths.ts';
import type { CompiledStep } from './step.ts';

/** Each element of an array continues as its own record (committed with the parent's completion). */
export function splitStep(options: { id: string; index: number; path: string; sourceId?: string }): CompiledStep {
  return {
    id: options.id,
    type: 'split',
    index: options.index,
    run(payload, ctx) {
      const list = readPath(payload, options.path);
      if (!Array.isArray(list)) {
        throw new DatongError('DT_VALIDATE_FAILED', { params: { path: options.path, reason: 'must be an array to split' }, where: { path: options.path } });
      }
      return {
        kind: 'split',
        elements: list.map((element, index) => ({
          sourceId: `${ctx.envelope.sourceId}#${(options.sourceId && readString(element, options.sourceId)) ?? index}`,
          payload: element,
        })),
      };
    },
  };
}
