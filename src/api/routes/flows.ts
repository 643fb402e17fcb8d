import type { FastifyInstance } from 'fastify';
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { actorName } from '../auth.ts';

export function flowRoutes(api: FastifyInstance, hub: Hub): void {
  api.get('/flows', { config: { action: 'workspace.read' }, schema: { summary: 'Flows of the active snapshot', tags: ['flows'] } }, async () => {
    const snapshot = await hub.refreshSnapshot();
    return {
      snapshot: snapshot.id,
      items: Object.entries(snapshot.workspace.flows).map(([id, flow]) => ({
        id,
        description: flow.description ?? null,
        enabled: flow.enabled !== false,
        trigger: flow.trigger.type,
        steps: flow.steps.length,
      })),
      nextCursor: null,
    };
  });

  api.post<{ Params: { flow: string }; Body: { payload?: unknown; sourceId?: string } | undefined }>(
    '/flows/:flow/run',
    {
      config: { action: 'flow.run' },
      schema: {
        summary: 'Run a flow now: a scheduled flow fires at once; any flow accepts a given payload as a record',
        tags: ['flows'],
        params: { type: 'object', properties: { flow: { type: 'string' } }, required: ['flow'] },
        body: { type: ['object', 'null'], properties: { payload: {}, sourceId: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const snapshot = await hub.refreshSnapshot();
      const flowId = request.params.flow;
      const flow = snapshot.workspace.flows[flowId];
      if (!flow) throw new DatongError('DT_RUNTIME_UNKNOWN_FLOW', { params: { flow: flowId } });
      const runAt = new Date().toISOString();
      const sourceId = request.body?.sourceId ?? `manual:${runAt}`;
      const [result] = await hub.accept([
        {
          flow: flowId,
          snapshot: snapshot.id,
          sourceSystem: flow.trigger.type === 'webhook' ? flow.trigger.system : 'manual',
          sourceId,
          payload: request.body?.payload ?? { scheduledFor: runAt, firedAt: runAt, manual: true, actor: actorName(request) },
        },
      ]);
      return reply.status(202).send({ recordId: result.id, duplicate: result.duplicate });
    },
  );
}
