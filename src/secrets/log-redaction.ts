/**
 * Paths for pino's `redact` option. Schema-driven masking (`redact()`) covers configs the hub
 * logs on purpose; these paths are the net under everything else: request headers that carry
 * credentials and well-known credential field names one level down.
 */
import { secretPaths } from './secret-schema.ts';

export const DEFAULT_LOG_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-datong-token"]',
  'headers.authorization',
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.clientSecret',
  '*.accessToken',
  '*.refreshToken',
];

/**
 * The defaults plus the secret fields of each given config schema under its log key, e.g.
 * `logRedactPaths({ 'config': connectorSpec.configSchema })` → `config.password`, ….
 */
export function logRedactPaths(schemas: Readonly<Record<string, unknown>> = {}): string[] {
  const paths = new Set(DEFAULT_LOG_REDACT_PATHS);
  for (const [prefix, schema] of Object.entries(schemas)) {
    for (const path of secretPaths(schema)) paths.add(path.startsWith('[') || prefix === '' ? `${prefix}${path}` : `${prefix}.${path}`);
  }
  return [...paths];
}
