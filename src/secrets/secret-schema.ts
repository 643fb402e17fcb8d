/**
 * Finding the secret fields of a config from its JSON Schema (TypeBox values are plain JSON
 * Schema): a field is secret when its schema says `'x-secret': true`. Unions (anyOf, oneOf,
 * allOf) count a field secret when any branch marks it; local `$ref`s are followed.
 */
export type JsonSchema = Record<string, unknown>;

const MAX_DEPTH = 32;

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema itself plus every schema its unions and local refs stand for. */
export function expand(schema: unknown, root: unknown, depth = 0): JsonSchema[] {
  if (!isSchema(schema) || depth > MAX_DEPTH) return [];
  const out: JsonSchema[] = [schema];
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) for (const branch of branches) out.push(...expand(branch, root, depth + 1));
  }
  const ref = schema.$ref;
  if (typeof ref === 'string') out.push(...expand(resolveRef(ref, root), root, depth + 1));
  return out;
}

function resolveRef(ref: string, root: unknown): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    if (!isSchema(node)) return undefined;
    node = node[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  return node;
}

export function marksSecret(schemas: readonly JsonSchema[]): boolean {
  return schemas.some((schema) => schema['x-secret'] === true);
}

/** The schemas that govern member `key` (a property name or an array index) of a value. */
export function childSchemas(schemas: readonly JsonSchema[], key: string | number, root: unknown): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const schema of schemas) {
    if (typeof key === 'number') {
      const prefix = schema.prefixItems;
      if (Array.isArray(prefix) && key < prefix.length) out.push(...expand(prefix[key], root));
      else if (Array.isArray(schema.items) && key < schema.items.length) out.push(...expand(schema.items[key], root));
      else if (isSchema(schema.items)) out.push(...expand(schema.items, root));
      continue;
    }
    const properties = isSchema(schema.properties) ? schema.properties : {};
    let matched = Object.hasOwn(properties, key);
    if (matched) out.push(...expand(properties[key], root));
    if (isSchema(schema.patternProperties)) {
      for (const [pattern, sub] of Object.entries(schema.patternProperties)) {
        if (safeTest(pattern, key)) {
          matched = true;
          out.push(...expand(sub, root));
        }
      }
    }
    if (!matched && isSchema(schema.additionalProperties)) out.push(...expand(schema.additionalProperties, root));
  }
  return out;
}

function safeTest(pattern: string, key: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(key);
  } catch {
    return false;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Paths of the secret fields, in the path syntax pino's `redact` accepts: `password`,
 * `auth.clientSecret`, `headers.*` (any key), `keys[*]` (any item), `["x-api-key"]`.
 */
export function secretPaths(schema: unknown): string[] {
  const found = new Set<string>();
  const walk = (schemas: JsonSchema[], path: string, depth: number): void => {
    if (depth > MAX_DEPTH || schemas.length === 0) return;
    if (marksSecret(schemas) && path !== '') {
      found.add(path);
      return;
    }
    for (const node of schemas) {
      if (isSchema(node.properties)) {
        for (const [key, sub] of Object.entries(node.properties)) walk(expand(sub, schema), member(path, key), depth + 1);
      }
      const anyKey = [
        ...(isSchema(node.patternProperties) ? Object.values(node.patternProperties) : []),
        ...(isSchema(node.additionalProperties) ? [node.additionalProperties] : []),
      ];
      for (const sub of anyKey) walk(expand(sub, schema), path === '' ? '*' : `${path}.*`, depth + 1);
      const items = [...(Array.isArray(node.prefixItems) ? node.prefixItems : []), ...(Array.isArray(node.items) ? node.items : [node.items])];
      for (const sub of items) if (isSchema(sub)) walk(expand(sub, schema), `${path}[*]`, depth + 1);
    }
  };
  walk(expand(schema, schema), '', 0);
  return [...found];
}

function member(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
