import { compileCondition } from '../../mapping/expression.ts';
import type { CompiledStep } from './step.ts';

export function filterStep(options: { id: string; index: number; when: string }): CompiledStep {
  const condition = compileCondition(options.when);
  return {
    id: options.id,
    type: 'filter',
    index: options.index,
    async run(payload, ctx) {
      return (await condition.test(payload, { now: ctx.now })) ? { kind: 'continue', payload } : { kind: 'stop', outcome: 'filtered' };
    },
  };
}
