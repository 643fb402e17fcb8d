/**
 * Secrets never leave the hub through the API: a system's config fields its connector marks
 * `'x-secret': true`, a webhook flow's signing secrets, and any encrypted `enc:v1:` value are
 * shown as {@link REDACTED}. Pure `${env:NAME}` references stay visible: they name a variable,
 * not a value. A resource sent back with the marker keeps the value the workspace holds there,
 * so a console can GET, edit and PUT without knowing the secrets.
 */
import type { ConnectorSpec } from '../../sdk/connector.ts';
import { isEncrypted } from '../../secrets/cipher.ts';
import type { ResourceKind } from '../../workspace/schema.ts';

export const REDACTED = '••••••';
const ENV_REFERENCE = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

type JsonSchema = Record<string, unknown>;

export function redactResource(kind: ResourceKind, value: unknown, connectors: ReadonlyMap<string, ConnectorSpec<any>>): unknown {
  const copy = structuredClone(value) as Record<string, unknown> | undefined;
  if (!copy || typeof copy !== 'object') return copy;
  if (kind === 'systems' && copy.config && typeof copy.type === 'string') {
    const spec = connectors.get(copy.type);
    if (spec) copy.config = redactBySchema(spec.configSchema as JsonSchema, copy.config);
  }
  if (kind === 'flows') {
    const trigger = copy.trigger as { secrets?: unknown } | undefined;
    if (trigger && Array.isArray(trigger.secrets)) trigger.secrets = trigger.secrets.map(hide);
  }
  return redactEncrypted(copy);
}

/** Puts back the current values wherever `next` holds the redaction marker. */
export function restoreRedacted(next: unknown, current: unknown): unknown {
  if (next === REDACTED) return typeof current === 'string' ? current : next;
  if (Array.isArray(next)) return next.map((item, index) => restoreRedacted(item, Array.isArray(current) ? current[index] : undefined));
  if (next && typeof next === 'object') {
    const base = current && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(next).map(([key, item]) => [key, restoreRedacted(item, base[key])]));
  }
  return next;
}

function hide(value: unknown): unknown {
  return typeof value === 'string' && ENV_REFERENCE.test(value) ? value : REDACTED;
}

function redactBySchema(schema: JsonSchema | undefined, value: unknown): unknown {
  if (!schema || typeof schema !== 'object') return value;
  if (schema['x-secret'] === true) return value === undefined || value === null ? value : hide(value);
  let result = value;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) for (const branch of branches) result = redactBySchema(branch as JsonSchema, result);
  }
  if (Array.isArray(result)) return schema.items ? result.map((item) => redactBySchema(schema.items as JsonSchema, item)) : result;
  if (result && typeof result === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const extra = typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as JsonSchema) : undefined;
    const entries = Object.entries(result).map(([key, item]) => {
      const itemSchema = properties[key] ?? extra;
      return [key, itemSchema ? redactBySchema(itemSchema, item) : item];
    });
    return Object.fromEntries(entries);
  }
  return result;
}

function redactEncrypted(value: unknown): unknown {
  if (isEncrypted(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(redactEncrypted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactEncrypted(item)]));
  return value;
}
