import type { FastifyInstance } from 'fastify';
import type { Hub } from '../../hub/hub.ts';

/** Public probes: `/healthz` (store reachable, snapshot active) and Prometheus `/metrics`. */
export function healthRoutes(app: FastifyInstance, hub: Hub): void {
  app.get('/healthz', { schema: { summary: 'Liveness and store health', tags: ['health'] } }, async (_request, reply) => {
    const started = performance.now();
    try {
      await hub.db.get('SELECT 1 AS ok');
      return { status: 'ok', snapshot: hub.snapshot.id, storeLatencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (error) {
      return reply.status(503).send({ status: 'unavailable', reason: (error as Error).message });
    }
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics', tags: ['health'] } }, async (_request, reply) => {
    reply.header('content-type', hub.metrics.registry.contentType);
    return hub.metrics.registry.metrics();
  });
}
