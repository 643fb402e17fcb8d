/**
 * JSON schemas shared by the `/api/v1` routes: paging, the error body, common params. Lists take
 * `?limit&cursor` (limit default 50, at most 500) and answer `{ items, nextCursor }`.
 */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

export const pageQueryProperties = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: 'Items per page' },
  cursor: { type: 'string', description: 'nextCursor of the previous page' },
} as const;

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export function pageLimit(query: PageQuery): number {
  return Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
}

/** A paged list response whose items are `item`. */
export function pageOf(item: object): object {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
    required: ['items', 'nextCursor'],
  };
}

/** Any JSON value; used where payloads are free-form (serialisation keeps them as they are). */
export const anyValue = {} as const;

/** An object passed through as it is (no property filtering by the serialiser). */
export const looseObject = { type: 'object', additionalProperties: true } as const;

export const errorBody = {
  type: 'object',
  description: 'Every error: a stable DT_ code, a message in the caller\'s language, and details',
  properties: { code: { type: 'string' }, message: { type: 'string' }, details: looseObject },
  required: ['code', 'message'],
} as const;

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1 } },
  required: ['id'],
} as const;
