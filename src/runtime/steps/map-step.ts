import { compileMapping } from '../../mapping/compile-mapping.ts';
import { DatongError } from '../../errors/datong-error.ts';
import type { MappingFile } from '../../workspace/schema.ts';
import type { CompiledStep, StepRun, StepResult } from './step.ts';

export function mapStep(options: { id: string; index: number; mappingId: string; mapping: MappingFile; sourceTimezone: string }): CompiledStep {
  const compiled = compileMapping(options.mappingId, options.mapping, { defaultTimezone: options.sourceTimezone });
  const finish = (result: Awaited<ReturnType<typeof compiled.apply>>): StepResult => {
    if (!result.ok) throw result.error;
    return { kind: 'continue', payload: result.value };
  };
  return {
    id: options.id,
    type: 'map',
    index: options.index,
    run(payload: unknown, ctx: StepRun) {
      const result = compiled.apply(payload, { now: ctx.now, sourceTimezone: options.sourceTimezone });
      return result instanceof Promise ? result.then(finish) : finish(result);
    },
  };
}

export function missingMapping(mappingId: string): never {
  throw new DatongError('DT_CONFIG_UNKNOWN_MAPPING', { params: { mapping: mappingId } });
}
