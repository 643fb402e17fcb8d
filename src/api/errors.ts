import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DatongError, toDatongError, type Locale } from '../errors/datong-error.ts';

/** Every API error answers `{ code, message, details }` with the code's HTTP status. */
export function sendError(reply: FastifyReply, error: DatongError, locale: Locale = 'en'): FastifyReply {
  if (error.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(error.retryAfterMs / 1000));
  return reply.status(error.status).send({
    code: error.code,
    message: error.localized(locale),
    details: { ...error.details, ...(Object.keys(error.where).length ? { where: error.where } : {}) },
  });
}

export function localeOf(request: FastifyRequest): Locale {
  return /^zh/i.test(request.headers['accept-language'] ?? '') ? 'zh' : 'en';
}

/** Maps Fastify's own errors (validation, body limits, bad JSON) onto catalogue codes. */
export function toApiError(error: FastifyError | Error, request: FastifyRequest): DatongError {
  if (error instanceof DatongError) return error;
  const fastifyError = error as FastifyError;
  const isHook = request.url.startsWith('/hooks/');
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new DatongError(isHook ? 'DT_WEBHOOK_TOO_LARGE' : 'DT_API_BAD_REQUEST', { params: { limit: request.routeOptions.bodyLimit ?? 0, reason: 'body too large' } });
  }
  if (fastifyError.validation) {
    return new DatongError('DT_API_BAD_REQUEST', { params: { reason: error.message }, details: { validation: fastifyError.validation } });
  }
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    return new DatongError(isHook ? 'DT_WEBHOOK_MALFORMED' : 'DT_API_BAD_REQUEST', { params: { reason: error.message } });
  }
  return toDatongError(error);
}
