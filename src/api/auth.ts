/**
 * API authentication: every route needs a bearer token unless it is declared public
 * (`/healthz`, `/metrics`, `/hooks/*`, the OpenAPI docs). A route declares the action it performs
 * in `config.action`; the token's role must allow it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DatongError } from '../errors/datong-error.ts';
import { can, type Action, type Role } from '../auth/roles.ts';
import { verifyToken } from '../auth/tokens.ts';
import type { Db } from '../store/db.ts';

export interface Actor {
  tokenId: string;
  name: string;
  role: Role;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
  interface FastifyContextConfig {
    /** The permission this route needs; absent means the route is public. */
    action?: Action;
  }
}

export function actorName(request: FastifyRequest): string {
  return request.actor ? `token:${request.actor.name}` : 'anonymous';
}

export function registerAuth(app: FastifyInstance, db: Db): void {
  app.addHook('onRequest', async (request) => {
    const action = request.routeOptions.config?.action;
    if (!action) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1];
    const verified = token ? await verifyToken(db, token) : null;
    if (!verified) throw new DatongError('DT_API_UNAUTHENTICATED');
    if (!can(verified.role, action)) throw new DatongError('DT_API_FORBIDDEN', { params: { role: verified.role, action } });
    request.actor = { tokenId: verified.id, name: verified.name, role: verified.role };
  });
}
