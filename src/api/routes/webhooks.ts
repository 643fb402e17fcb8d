/**
 * `POST /hooks/<flow-id>`: the inbound webhook trigger. Answers 202 only after the record is
 * durably committed; a repeated delivery id answers 202 again without a second record.
 */
import type { FastifyInstance } from 'fastify';
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { intakeDelivery } from '../../triggers/webhook/intake.ts';
import type { WebhookTriggerSpec } from '../../workspace/schema.ts';

/** The largest body any flow may declare; each flow's own limit is checked after reading. */
export const HOOK_BODY_LIMIT = 16 * 1_048_576;

export function webhookRoutes(app: FastifyInstance, hub: Hub): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: HOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { flow: string } }>(
      '/hooks/:flow',
      {
        bodyLimit: HOOK_BODY_LIMIT,
        schema: {
          summary: 'Deliver a signed webhook to a flow',
          tags: ['webhooks'],
          params: { type: 'object', properties: { flow: { type: 'string' } }, required: ['flow'] },
          response: { 202: { type: 'object', properties: { recordId: { type: 'string' }, duplicate: { type: 'boolean' } } } },
        },
      },
      async (request, reply) => {
        const snapshot = hub.snapshot;
        const flowId = request.params.flow;
        const flow = snapshot.workspace.flows[flowId];
        if (!flow || flow.trigger.type !== 'webhook' || flow.enabled === false) {
          throw new DatongError('DT_WEBHOOK_UNKNOWN_FLOW', { params: { flow: flowId } });
        }
        const trigger = flow.trigger as WebhookTriggerSpec;
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const record = intakeDelivery({
          flow: flowId,
          snapshot: snapshot.id,
          trigger,
          secrets: trigger.secrets.map((secret, index) => hub.resolveSecret(secret, `flows/${flowId}.trigger.secrets[${index}]`)),
          headers: request.headers,
          rawBody,
        });
        if (flow.maxBacklog !== undefined && (await hub.pending(flowId)) >= flow.maxBacklog) {
          throw new DatongError('DT_WEBHOOK_BACKPRESSURE', { params: { flow: flowId }, retryAfterMs: 5000 });
        }
        const [result] = await hub.accept([record]);
        return reply.status(202).send({ recordId: result.id, duplicate: result.duplicate });
      },
    );
  });
}
