import type { FastifyInstance } from 'fastify';
import type { Hub } from '../../hub/hub.ts';
import { auditRoutes } from './audit.ts';
import { deadLetterRoutes } from './dead-letters.ts';
import { flowRoutes } from './flows.ts';
import { mappingRoutes } from './mappings.ts';
import { runRoutes } from './runs.ts';
import { statusRoutes } from './status.ts';
import { systemRoutes } from './systems.ts';
import { tokenRoutes } from './tokens.ts';
import { workspaceRoutes } from './workspace.ts';
import { xrefRoutes } from './xref.ts';

/** Every `/api/v1` route module, registered under the prefix. */
export function registerApiRoutes(api: FastifyInstance, hub: Hub): void {
  statusRoutes(api, hub);
  workspaceRoutes(api, hub);
  flowRoutes(api, hub);
  runRoutes(api, hub);
  deadLetterRoutes(api, hub);
  mappingRoutes(api, hub);
  systemRoutes(api, hub);
  xrefRoutes(api, hub);
  tokenRoutes(api, hub);
  auditRoutes(api, hub);
}
