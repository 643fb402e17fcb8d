import { compileCondition } from '../../mapping/expression.ts';
import { DatongError } from '../../errors/datong-error.ts';
import type { CompiledStep } from './step.ts';

/** Jumps to the first route whose condition holds; `stop` as a target ends the record as done. */
export function routeStep(options: {
  id: string;
  index: number;
  routes: { when: string; to: string }[];
  otherwise?: string;
  stepIndex: (id: string) => number;
}): CompiledStep {
  const target = (to: string) => (to === 'stop' ? -1 : options.stepIndex(to));
  const routes = options.routes.map((route) => ({ condition: compileCondition(route.when), to: target(route.to), name: route.to }));
  const otherwise = options.otherwise === undefined ? undefined : target(options.otherwise);
  return {
    id: options.id,
    type: 'route',
    index: options.index,
    async run(payload, ctx) {
      for (const route of routes) {
        if (await route.condition.test(payload, { now: ctx.now })) {
          return route.to < 0 ? { kind: 'stop', outcome: 'filtered' } : { kind: 'continue', payload, jumpTo: route.to, outcome: `→ ${route.name}` };
        }
      }
      if (otherwise === undefined) throw new DatongError('DT_ROUTE_NO_MATCH');
      return otherwise < 0 ? { kind: 'stop', outcome: 'filtered' } : { kind: 'continue', payload, jumpTo: otherwise, outcome: `→ ${options.otherwise}` };
    },
  };
}
