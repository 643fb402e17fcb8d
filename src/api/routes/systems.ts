/** Asks a system's connector whether it is reachable (`check`) and what it offers (`discover`). */
import type { FastifyInstance } from 'fastify';
import { DatongError, toDatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import type { Capability } from '../../sdk/connector.ts';
import type { LiveConnector } from '../../runtime/connector-pool.ts';

const TIMEOUT_MS = 15_000;

const systemParams = { type: 'object', properties: { id: { type: 'string', minLength: 1 } }, required: ['id'] } as const;

export function systemRoutes(api: FastifyInstance, hub: Hub): void {
  const live = async (id: string, capability: Capability): Promise<LiveConnector> => {
    const snapshot = await hub.refreshSnapshot();
    if (!snapshot.workspace.systems[id]) throw new DatongError('DT_CONFIG_NOT_FOUND', { params: { kind: 'systems', id } });
    const connector = hub.pool.get(snapshot.workspace, id);
    if (!connector.spec.capabilities.includes(capability)) {
      throw new DatongError('DT_CONFIG_CAPABILITY', { params: { system: id, type: connector.spec.type, capability } });
    }
    return connector;
  };

  api.post<{ Params: { id: string } }>(
    '/systems/:id/check',
    {
      config: { action: 'system.check' },
      schema: {
        summary: 'Check that a system is reachable and its credentials work (changes nothing)',
        description: 'A failed check answers 200 with ok: false and the reason; secrets never appear in it.',
        tags: ['systems'],
        params: systemParams,
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' }, message: { type: 'string' }, latencyMs: { type: 'number' }, code: { type: 'string' } } } },
      },
    },
    async (request) => {
      const connector = await live(request.params.id, 'check');
      const started = performance.now();
      try {
        return await connector.connector.check!(AbortSignal.timeout(TIMEOUT_MS));
      } catch (error) {
        const failure = toDatongError(error);
        return { ok: false, message: failure.message, code: failure.code, latencyMs: Math.round(performance.now() - started) };
      }
    },
  );

  api.get<{ Params: { id: string } }>(
    '/systems/:id/discover',
    {
      config: { action: 'system.check' },
      schema: {
        summary: 'The entities (tables, endpoints) and fields a system offers',
        tags: ['systems'],
        params: systemParams,
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    fields: {
                      type: 'array',
                      items: { type: 'object', properties: { name: { type: 'string' }, type: { type: 'string' }, nullable: { type: 'boolean' }, key: { type: 'boolean' } } },
                    },
                  },
                },
              },
              nextCursor: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    async (request) => {
      const connector = await live(request.params.id, 'discover');
      return { items: await connector.connector.discover!(AbortSignal.timeout(TIMEOUT_MS)), nextCursor: null };
    },
  );
}
