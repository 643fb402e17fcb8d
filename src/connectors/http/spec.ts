/**
 * The HTTP/REST target: identity, config and write-option schemas, and the factory. Light on
 * purpose: the registry imports it at start-up, and undici loads only on the first request.
 */
import { Type, type Static } from 'typebox';
import type { ConnectorContext, ConnectorSpec } from '../../sdk/connector.ts';
import { HttpSink } from './sink.ts';

const Secret = (description: string) => Type.String({ minLength: 1, description, 'x-secret': true });

export const HttpAuthSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('none') }, { additionalProperties: false, title: 'No authentication' }),
    Type.Object(
      { type: Type.Literal('basic'), username: Type.String({ description: 'User name' }), password: Secret('Password') },
      { additionalProperties: false, title: 'HTTP basic' },
    ),
    Type.Object(
      { type: Type.Literal('bearer'), token: Secret('Sent as Authorization: Bearer <token>') },
      { additionalProperties: false, title: 'Bearer token' },
    ),
    Type.Object(
      {
        type: Type.Literal('api-key'),
        in: Type.Union([Type.Literal('header'), Type.Literal('query')], { description: 'Send the key as a header or a query parameter' }),
        name: Type.String({ minLength: 1, description: 'Header or query parameter name, e.g. X-Api-Key' }),
        value: Secret('The key'),
      },
      { additionalProperties: false, title: 'API key' },
    ),
  ],
  { description: 'How requests authenticate' },
);
export type HttpAuth = Static<typeof HttpAuthSchema>;

export const HttpConfigSchema = Type.Object(
  {
    baseUrl: Type.String({ pattern: '^https?://', description: 'Scheme, host, port and an optional path prefix, e.g. https://erp.example.com/api/v1' }),
    auth: Type.Optional(HttpAuthSchema),
    timeoutMs: Type.Optional(
      Type.Integer({ minimum: 1, default: 10_000, description: 'Longest wait for the response headers, and between body chunks' }),
    ),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Extra static headers sent with every request' })),
    maxConnections: Type.Optional(
      Type.Integer({ minimum: 1, default: 10, description: 'Most open connections to the target; also the most items sent at once' }),
    ),
  },
  { additionalProperties: false },
);
export type HttpConfig = Static<typeof HttpConfigSchema>;

export const HttpWriteOptionsSchema = Type.Object(
  {
    method: Type.Optional(
      Type.Union([Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH')], { default: 'POST', description: 'HTTP method of each write' }),
    ),
    path: Type.String({
      description: 'Path below baseUrl; {field} placeholders are filled from the item (URL-encoded), e.g. /customers/{id}',
      examples: ['/customers/{id}', '/orders'],
    }),
    batch: Type.Optional(
      Type.Object(
        { maxItems: Type.Integer({ minimum: 1, description: 'Items per request; the body is a JSON array' }) },
        { additionalProperties: false, description: 'Send items in array requests instead of one request per item' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type HttpWriteOptions = Static<typeof HttpWriteOptionsSchema>;

export const httpSpec: ConnectorSpec<HttpConfig> = {
  type: 'http',
  title: { en: 'HTTP / REST', zh: 'HTTP / REST 接口' },
  description: 'Writes records to a REST endpoint as JSON, one request per record or in array batches, with idempotency keys.',
  configSchema: HttpConfigSchema,
  writeOptionsSchema: HttpWriteOptionsSchema,
  capabilities: ['write', 'check'],
  create(config: HttpConfig, context: ConnectorContext) {
    return new HttpSink(config, context);
  },
};
