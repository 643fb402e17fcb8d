/** One call for "is everything flowing": snapshot, queue depth, open dead letters, recent failures. */
import type { FastifyInstance } from 'fastify';
import type { Hub } from '../../hub/hub.ts';
import { queueDepth } from '../../store/queue.ts';

const RECENT_MINUTES = 60;

const countsByFlow = (properties: Record<string, object>) => ({
  type: 'array',
  items: { type: 'object', properties: { flow: { type: 'string' }, ...properties } },
});

export function statusRoutes(api: FastifyInstance, hub: Hub): void {
  api.get(
    '/status',
    {
      config: { action: 'status.read' },
      schema: {
        summary: 'Active snapshot, queue depth per flow and state, open dead letters per flow, failed attempts of the last hour',
        tags: ['status'],
        response: {
          200: {
            type: 'object',
            properties: {
              hub: { type: 'string' },
              snapshot: { type: 'object', properties: { id: { type: 'integer' }, digest: { type: 'string' }, createdAt: { type: 'string' } } },
              queue: countsByFlow({ state: { type: 'string' }, count: { type: 'integer' } }),
              deadLetters: countsByFlow({ open: { type: 'integer' } }),
              recentFailures: {
                type: 'object',
                properties: {
                  windowMinutes: { type: 'integer' },
                  flows: countsByFlow({ retries: { type: 'integer' }, dead: { type: 'integer' } }),
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const snapshot = await hub.refreshSnapshot();
      const since = Date.now() - RECENT_MINUTES * 60_000;
      const [queue, deadLetters, failures] = await Promise.all([
        queueDepth(hub.db),
        hub.db.all<{ flow: string; open: number }>(`SELECT flow, COUNT(*) AS open FROM dead_letters WHERE state = 'open' GROUP BY flow ORDER BY flow`),
        hub.db.all<{ flow: string; outcome: string; count: number }>(
          `SELECT flow, outcome, COUNT(*) AS count FROM runs WHERE finished_at >= ? AND outcome IN ('retry', 'dead') GROUP BY flow, outcome`,
          [since],
        ),
      ]);
      const perFlow = new Map<string, { flow: string; retries: number; dead: number }>();
      for (const row of failures) {
        const entry = perFlow.get(row.flow) ?? { flow: row.flow, retries: 0, dead: 0 };
        if (row.outcome === 'retry') entry.retries += Number(row.count);
        else entry.dead += Number(row.count);
        perFlow.set(row.flow, entry);
      }
      return {
        hub: hub.id,
        snapshot: { id: snapshot.id, digest: snapshot.digest, createdAt: snapshot.createdAt },
        queue: [...queue].sort((a, b) => a.flow.localeCompare(b.flow) || a.state.localeCompare(b.state)),
        deadLetters: deadLetters.map((row) => ({ flow: row.flow, open: Number(row.open) })),
        recentFailures: { windowMinutes: RECENT_MINUTES, flows: [...perFlow.values()].sort((a, b) => a.flow.localeCompare(b.flow)) },
      };
    },
  );
}
