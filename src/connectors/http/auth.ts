/**
 * Turns the configured auth into request headers or a query parameter, and knows which strings
 * are secret so that nothing the connector logs or reports can carry them.
 */
import type { HttpAuth } from './spec.ts';

export interface AuthParts {
  headers: Record<string, string>;
  /** A query parameter to append (api-key in query); never logged. */
  query?: { name: string; value: string };
}

export function authParts(auth: HttpAuth | undefined): AuthParts {
  switch (auth?.type) {
    case undefined:
    case 'none':
      return { headers: {} };
    case 'basic':
      return { headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}` } };
    case 'bearer':
      return { headers: { authorization: `Bearer ${auth.token}` } };
    case 'api-key':
      return auth.in === 'header' ? { headers: { [auth.name.toLowerCase()]: auth.value } } : { headers: {}, query: { name: auth.name, value: auth.value } };
  }
}

/** Every string that must never appear in a log line or an error: raw secrets and their encodings. */
export function secretStrings(auth: HttpAuth | undefined): string[] {
  switch (auth?.type) {
    case 'basic': {
      const encoded = Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64');
      return [auth.password, encoded];
    }
    case 'bearer':
      return [auth.token];
    case 'api-key':
      return [auth.value, encodeURIComponent(auth.value)];
    default:
      return [];
  }
}

/** Replaces every occurrence of a secret in `text` (e.g. a response body that echoes a header). */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join('***');
  }
  return out;
}
