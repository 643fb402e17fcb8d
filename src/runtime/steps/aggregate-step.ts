import { readString } from '../paths.ts';
import { DatongError } from '../../errors/datong-error.ts';
import type { CompiledStep } from './step.ts';

/** Collects records by group in the store; the full (or timed-out) group continues as one record. */
export function aggregateStep(options: { id: string; index: number; groupBy: string }): CompiledStep {
  return {
    id: options.id,
    type: 'aggregate',
    index: options.index,
    run(payload) {
      const groupKey = readString(payload, options.groupBy);
      if (groupKey === undefined) {
        throw new DatongError('DT_VALIDATE_FAILED', { params: { path: options.groupBy, reason: 'group key is empty' }, where: { path: options.groupBy } });
      }
      return { kind: 'aggregate', groupKey };
    },
  };
}
