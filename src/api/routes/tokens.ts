/** API tokens: list (never the secret), create (the clear token is in this answer only), revoke. */
import type { FastifyInstance } from 'fastify';
import { DatongError } from '../../errors/datong-error.ts';
import type { Hub } from '../../hub/hub.ts';
import { ROLES, type Role } from '../../auth/roles.ts';
import { createToken, listTokens, revokeToken } from '../../auth/tokens.ts';
import { actorName } from '../auth.ts';
import { idParams } from './schemas.ts';

const tokenInfo = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    createdAt: { type: 'integer', description: 'Epoch ms' },
    createdBy: { type: 'string' },
    lastUsedAt: { type: ['integer', 'null'] },
    revokedAt: { type: ['integer', 'null'] },
  },
} as const;

export function tokenRoutes(api: FastifyInstance, hub: Hub): void {
  api.get<{ Querystring: { includeRevoked?: boolean } }>(
    '/tokens',
    {
      config: { action: 'token.read' },
      schema: {
        summary: 'API tokens, newest first (names and roles; the secrets are not stored)',
        tags: ['tokens'],
        querystring: { type: 'object', properties: { includeRevoked: { type: 'boolean', default: true } } },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: tokenInfo }, nextCursor: { type: 'null' } } } },
      },
    },
    async (request) => ({ items: await listTokens(hub.db, { includeRevoked: request.query.includeRevoked }), nextCursor: null }),
  );

  api.post<{ Body: { name: string; role: Role } }>(
    '/tokens',
    {
      config: { action: 'token.manage' },
      schema: {
        summary: 'Create a token; the answer holds the token itself, shown this once',
        tags: ['tokens'],
        body: {
          type: 'object',
          properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, role: { type: 'string' } },
          required: ['name', 'role'],
          additionalProperties: false,
        },
        response: { 201: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, token: { type: 'string' } } } },
      },
    },
    async (request, reply) => {
      const { name, role } = request.body;
      const created = await createToken(hub.db, { name, role, createdBy: actorName(request) }, hub.audit);
      return reply.status(201).send({ id: created.id, name: name.trim(), role, token: created.token });
    },
  );

  api.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    {
      config: { action: 'token.manage' },
      schema: {
        summary: 'Revoke a token; requests with it answer 401 from now on',
        tags: ['tokens'],
        params: idParams,
        response: { 200: { type: 'object', properties: { revoked: { type: 'boolean' } } } },
      },
    },
    async (request) => {
      const revoked = await revokeToken(hub.db, { id: request.params.id, revokedBy: actorName(request) }, hub.audit);
      if (!revoked) throw new DatongError('DT_API_NOT_FOUND', { params: { what: `active token ${request.params.id}` } });
      return { revoked };
    },
  );
}
