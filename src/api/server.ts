/**
 * The HTTP API (Fastify): `/api/v1/*` with bearer tokens, `/hooks/*` for webhooks, `/healthz`,
 * `/metrics`, and the OpenAPI document at `/docs` (JSON at `/docs/json`).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Hub } from '../hub/hub.ts';
import { DatongError } from '../errors/datong-error.ts';
import { registerAuth } from './auth.ts';
import { localeOf, sendError, toApiError } from './errors.ts';
import { healthRoutes } from './routes/health.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { registerApiRoutes } from './routes/index.ts';

export async function buildServer(hub: Hub, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 4 * 1_048_576,
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'datong API', description: 'Integration hub API (打通)', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  registerAuth(app, hub.db);
  app.setErrorHandler((error, request, reply) => {
    const apiError = toApiError(error as Error, request);
    if (apiError.status >= 500) hub.logger.error({ err: apiError.toJSON(), route: request.routeOptions.url }, 'request failed');
    return sendError(reply, apiError, localeOf(request));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new DatongError('DT_API_NOT_FOUND', { params: { what: `route ${request.method} ${request.url.split('?')[0]}` } }), localeOf(request)),
  );
  healthRoutes(app, hub);
  webhookRoutes(app, hub);
  await app.register(async (api) => registerApiRoutes(api, hub), { prefix: '/api/v1' });
  return app;
}
