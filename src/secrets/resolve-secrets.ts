/**
 * Turning a config as written (`${env:NAME}` references, `enc:v1:` ciphertexts) into the
 * values a connector uses, and back into something safe to log or return from the API.
 *
 * AAD contract: an `enc:v1:` value in a config is encrypted with its own config path as AAD,
 * built like `systems.kingdee.config.password` (dotted keys, `[i]` for array items) from the
 * `path` the caller passes for the root. Whoever writes such a value must use the same path.
 */
import { DatongError } from '../errors/datong-error.ts';
import { decrypt, ENCRYPTED_PREFIX, isEncrypted } from './cipher.ts';
import type { Keyring } from './master-key.ts';
import { childSchemas, expand, type JsonSchema, marksSecret } from './secret-schema.ts';

export { secretPaths } from './secret-schema.ts';

export const REDACTED = '***';
/** `${env:NAME}`, or `${env:NAME:-default}`: as in a POSIX shell, the default stands in when NAME is unset or empty. */
const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export interface ResolveOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Needed only when the config holds `enc:v1:` values. */
  keyring?: Keyring;
  /** Config path of `value` itself, e.g. `systems.kingdee.config`. */
  path?: string;
}

/**
 * Members that resolveSecrets filled from env or decrypted, per container object it built,
 * so `redact` masks them even where the schema does not mark the field secret. A copy of
 * the resolved config (structuredClone, spread) loses this: redact the original.
 */
const resolvedMembers = new WeakMap<object, Set<string | number>>();

export function configPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** A resolved copy of `value`; the input is not changed. */
export function resolveSecrets<T>(value: T, options: ResolveOptions = {}): T {
  const env = options.env ?? process.env;
  const walk = (node: unknown, path: string): { value: unknown; resolved: boolean } => {
    if (typeof node === 'string') return resolveString(node, path);
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      const marks = new Set<number>();
      node.forEach((item, index) => {
        const child = walk(item, configPath(path, index));
        out.push(child.value);
        if (child.resolved) marks.add(index);
      });
      if (marks.size) resolvedMembers.set(out, marks);
      return { value: out, resolved: false };
    }
    if (node !== null && typeof node === 'object' && isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      const marks = new Set<string>();
      for (const [key, item] of Object.entries(node)) {
        const child = walk(item, configPath(path, key));
        out[key] = child.value;
        if (child.resolved) marks.add(key);
      }
      if (marks.size) resolvedMembers.set(out, marks);
      return { value: out, resolved: false };
    }
    return { value: node, resolved: false };
  };

  const resolveString = (text: string, path: string): { value: unknown; resolved: boolean } => {
    if (text.startsWith(ENCRYPTED_PREFIX)) {
      if (!options.keyring) {
        throw new DatongError('DT_SECRET_KEY_UNKNOWN', { params: { keyId: text.split(':')[2] ?? '?' }, where: { path } });
      }
      return { value: decrypt(text, { keyring: options.keyring, aad: path }), resolved: true };
    }
    if (!text.includes('${env:')) return { value: text, resolved: false };
    let resolved = false;
    const value = text.replace(ENV_REF, (_whole, name: string, fallback: string | undefined) => {
      resolved = true;
      const found = env[name];
      if (fallback !== undefined && (found === undefined || found === '')) return fallback;
      if (found === undefined) throw new DatongError('DT_SECRET_ENV_MISSING', { params: { name, path: path || '(root)' }, where: { path } });
      return found;
    });
    return { value, resolved };
  };

  return walk(value, options.path ?? '').value as T;
}

/**
 * A copy safe for logs and API output: fields the schema marks `'x-secret': true`, values
 * resolveSecrets filled in, and any `enc:` ciphertext become `***`. Unresolved `${env:NAME}`
 * references stay visible — they name a variable, not its value.
 */
export function redact<T>(value: T, schema?: unknown): T {
  const walk = (node: unknown, schemas: JsonSchema[]): unknown => {
    if (node === undefined) return node;
    if (marksSecret(schemas)) return REDACTED;
    if (isEncrypted(node)) return REDACTED;
    if (Array.isArray(node)) {
      const marks = resolvedMembers.get(node);
      return node.map((item, index) => (marks?.has(index) ? REDACTED : walk(item, childSchemas(schemas, index, schema))));
    }
    if (node !== null && typeof node === 'object' && isPlainObject(node)) {
      const marks = resolvedMembers.get(node);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        out[key] = marks?.has(key) && item !== undefined ? REDACTED : walk(item, childSchemas(schemas, key, schema));
      }
      return out;
    }
    return node;
  };
  return walk(value, expand(schema, schema)) as T;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
