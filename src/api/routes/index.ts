import type { FastifyInstance } from 'fastify';
import type { Hub } from '../../hub/hub.ts';
import { flowRoutes } from './flows.ts';

/** Every `/api/v1` route module, registered under the prefix. */
export function registerApiRoutes(api: FastifyInstance, hub: Hub): void {
  flowRoutes(api, hub);
}
