/** The audit log: paged reading (newest first) and a verification of the hash chain. */
import type { FastifyInstance } from 'fastify';
import type { Hub } from '../../hub/hub.ts';
import { looseObject, pageLimit, pageOf, pageQueryProperties, type PageQuery } from './schemas.ts';

const entrySchema = {
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'integer', description: 'Epoch ms' },
    actor: { type: 'string' },
    action: { type: 'string' },
    target: { type: 'string' },
    details: looseObject,
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

interface AuditQuery extends PageQuery {
  action?: string;
  actor?: string;
  target?: string;
}

export function auditRoutes(api: FastifyInstance, hub: Hub): void {
  api.get<{ Querystring: AuditQuery }>(
    '/audit',
    {
      config: { action: 'audit.read' },
      schema: {
        summary: 'Audit entries, newest first',
        tags: ['audit'],
        querystring: {
          type: 'object',
          properties: { ...pageQueryProperties, action: { type: 'string' }, actor: { type: 'string' }, target: { type: 'string' } },
        },
        response: { 200: pageOf(entrySchema) },
      },
    },
    async (request) => {
      const { cursor, action, actor, target } = request.query;
      const page = await hub.audit.list({ limit: pageLimit(request.query), cursor, action, actor, target });
      return { items: page.entries, nextCursor: page.nextCursor ?? null };
    },
  );

  api.get(
    '/audit/verify',
    {
      config: { action: 'audit.read' },
      schema: {
        summary: 'Recompute the audit hash chain; answers the first broken entry, or the count and the head to record elsewhere',
        tags: ['audit'],
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              count: { type: 'integer' },
              seq: { type: 'integer' },
              reason: { type: 'string' },
              head: { type: 'object', properties: { seq: { type: 'integer' }, hash: { type: 'string' } } },
            },
            required: ['ok'],
          },
        },
      },
    },
    async () => {
      const head = await hub.audit.head();
      const result = await hub.audit.verify();
      return { ...result, head };
    },
  );
}
