/**
 * Secrets never leave the hub through the API: a system's config is masked by the secrets
 * module's schema-driven `redact` (fields its connector marks `'x-secret': true`, `enc:v1:`
 * ciphertexts), and a webhook flow's signing secrets are masked unless they are pure
 * `${env:NAME}` references (they name a variable, not a value). A resource sent back with the
 * marker keeps the value the workspace holds there, so a console can GET, edit and PUT without
 * knowing the secrets.
 */
import type { ConnectorSpec } from '../../sdk/connector.ts';
import { isEncrypted } from '../../secrets/cipher.ts';
import { redact, REDACTED } from '../../secrets/resolve-secrets.ts';
import type { ResourceKind } from '../../workspace/schema.ts';

export { REDACTED } from '../../secrets/resolve-secrets.ts';

const ENV_REFERENCE = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

export function redactResource(kind: ResourceKind, value: unknown, connectors: ReadonlyMap<string, ConnectorSpec<any>>): unknown {
  const copy = structuredClone(value) as Record<string, unknown> | undefined;
  if (!copy || typeof copy !== 'object') return copy;
  if (kind === 'systems' && copy.config && typeof copy.type === 'string') {
    copy.config = redact(copy.config, connectors.get(copy.type)?.configSchema);
  }
  if (kind === 'flows') {
    const trigger = copy.trigger as { secrets?: unknown } | undefined;
    if (trigger && Array.isArray(trigger.secrets)) {
      trigger.secrets = trigger.secrets.map((secret) => (typeof secret === 'string' && ENV_REFERENCE.test(secret) ? secret : REDACTED));
    }
  }
  return maskEncrypted(copy);
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

/** Ciphertexts anywhere else in a resource (a write step's options, say) are masked too. */
function maskEncrypted(value: unknown): unknown {
  if (isEncrypted(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(maskEncrypted);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskEncrypted(item)]));
  return value;
}
