import { idempotencyKey } from '../idempotency.ts';
import type { CompiledStep } from './step.ts';

/**
 * Writes the payload to a target through the step's batcher. A write done in an earlier attempt
 * is skipped; the idempotency key makes a repeated write harmless anyway.
 */
export function writeStep(options: { id: string; index: number; flow: string; system: string; entity?: string }): CompiledStep {
  return {
    id: options.id,
    type: 'write',
    index: options.index,
    async run(payload, ctx) {
      if (ctx.doneTargets.has(options.id)) return { kind: 'continue', payload, outcome: 'skipped (written in an earlier attempt)' };
      const { envelope } = ctx;
      const outcome = await ctx.batcher(options.id).submit({
        recordId: envelope.id,
        idempotencyKey: idempotencyKey({ flow: options.flow, target: options.id, sourceId: envelope.sourceId, version: envelope.version, recordId: envelope.id }),
        version: envelope.version,
        data: payload,
      });
      if (outcome.status === 'failed') throw outcome.error.at({ step: options.id, system: options.system, recordId: envelope.id });
      ctx.doneTargets.add(options.id);
      if (options.entity) {
        ctx.links.push({
          entity: options.entity,
          fromSystem: envelope.sourceSystem,
          fromId: envelope.sourceId,
          system: options.system,
          systemId: outcome.targetId ?? envelope.sourceId,
          version: envelope.version,
        });
      }
      return { kind: 'continue', payload, outcome: outcome.status === 'written' ? 'written' : `unchanged (${outcome.reason})` };
    },
  };
}
