/** The cross-reference table: one business entity's ids in every system, lookup and unlink. */
import type { FastifyInstance } from 'fastify';
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { findCanonicalId, lookupXref, unlinkXref } from '../../store/xref.ts';
import { actorName } from '../auth.ts';

const entrySchema = {
  type: 'object',
  properties: {
    system: { type: 'string' },
    systemId: { type: 'string' },
    version: { type: ['string', 'null'] },
    updatedAt: { type: 'string' },
  },
} as const;

const linkSchema = {
  type: 'object',
  properties: { entity: { type: 'string' }, canonicalId: { type: 'string' }, items: { type: 'array', items: entrySchema } },
} as const;

const str = { type: 'string', minLength: 1 } as const;

export function xrefRoutes(api: FastifyInstance, hub: Hub): void {
  const linked = async (entity: string, canonicalId: string) => {
    const entries = await lookupXref(hub.db, entity, canonicalId);
    if (entries.length === 0) throw new DatongError('DT_API_NOT_FOUND', { params: { what: `${entity} ${canonicalId} in the cross-reference` } });
    return { entity, canonicalId, items: entries.map(({ system, systemId, version, updatedAt }) => ({ system, systemId, version, updatedAt })) };
  };

  // Registered before /:canonicalId; find-my-way prefers the static segment either way.
  api.get<{ Params: { entity: string }; Querystring: { system: string; id: string } }>(
    '/xref/:entity/lookup',
    {
      config: { action: 'xref.read' },
      schema: {
        summary: 'Find an entity by its id in one system: its canonical id and its ids in every system',
        tags: ['xref'],
        params: { type: 'object', properties: { entity: str }, required: ['entity'] },
        querystring: { type: 'object', properties: { system: str, id: str }, required: ['system', 'id'] },
        response: { 200: linkSchema },
      },
    },
    async (request) => {
      const { entity } = request.params;
      const canonicalId = await findCanonicalId(hub.db, entity, request.query.system, request.query.id);
      if (!canonicalId) throw new DatongError('DT_API_NOT_FOUND', { params: { what: `${entity} ${request.query.id} of ${request.query.system} in the cross-reference` } });
      return linked(entity, canonicalId);
    },
  );

  api.get<{ Params: { entity: string; canonicalId: string } }>(
    '/xref/:entity/:canonicalId',
    {
      config: { action: 'xref.read' },
      schema: {
        summary: 'The ids one entity has in every system',
        tags: ['xref'],
        params: { type: 'object', properties: { entity: str, canonicalId: str }, required: ['entity', 'canonicalId'] },
        response: { 200: linkSchema },
      },
    },
    async (request) => linked(request.params.entity, request.params.canonicalId),
  );

  api.delete<{ Params: { entity: string; system: string; id: string } }>(
    '/xref/:entity/:system/:id',
    {
      config: { action: 'xref.write' },
      schema: {
        summary: 'Unlink one system id from its entity (the next write creates or finds the link anew)',
        tags: ['xref'],
        params: { type: 'object', properties: { entity: str, system: str, id: str }, required: ['entity', 'system', 'id'] },
        response: { 200: { type: 'object', properties: { unlinked: { type: 'boolean' } } } },
      },
    },
    async (request) => {
      const { entity, system, id } = request.params;
      const actor = actorName(request);
      return hub.db.transaction(async (tx) => {
        const canonicalId = await findCanonicalId(tx, entity, system, id);
        if (!canonicalId) throw new DatongError('DT_API_NOT_FOUND', { params: { what: `${entity} ${id} of ${system} in the cross-reference` } });
        await unlinkXref(tx, entity, system, id);
        await hub.audit.append({ actor, action: 'xref.unlink', target: `xref:${entity}/${system}/${id}`, details: { canonicalId } }, tx);
        return { unlinked: true };
      });
    },
  );
}
