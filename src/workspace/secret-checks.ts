/**
 * Warns about secrets written in clear: a config field the connector marks `'x-secret': true`,
 * or a webhook secret, must be an `${env:NAME}` reference or an `enc:v1:` ciphertext, or the
 * clear value ends up in the workspace files, in git, and in the store's snapshots.
 */
import type { Finding } from './finding.ts';
import { findingAt, type CheckContext, type ParsedResource } from './checked-files.ts';
import { asArray, asRecord, asString } from './value-helpers.ts';
import type { PathSegment } from './yaml-source.ts';

interface SchemaNode {
  'x-secret'?: boolean;
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  items?: SchemaNode;
}

export function isProtected(value: string): boolean {
  return value.startsWith('enc:v1:') || /\$\{env:[A-Za-z_][A-Za-z0-9_]*(:-[^}]*)?\}/.test(value);
}

function plainSecrets(value: unknown, schema: SchemaNode | undefined, path: PathSegment[], out: PathSegment[][]): void {
  if (!schema || value === null || value === undefined) return;
  const branches = [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  if (branches.some((branch) => branch['x-secret'])) {
    if (typeof value === 'string' && value !== '' && !isProtected(value)) out.push(path);
    return;
  }
  if (Array.isArray(value)) {
    const items = branches.find((branch) => branch.items)?.items;
    value.forEach((item, index) => plainSecrets(item, items, [...path, index], out));
    return;
  }
  if (typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = branches.map((branch) => branch.properties?.[key]).find(Boolean);
    plainSecrets(child, childSchema, [...path, key], out);
  }
}

const MESSAGE = 'secret written in clear: use ${env:NAME} or an encrypted enc:v1: value';

export function checkSecrets(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const warn = (resource: ParsedResource, path: PathSegment[]) => findings.push({ ...findingAt(resource, path, 'DT_CONFIG_PLAIN_SECRET', MESSAGE), severity: 'warning' });
  for (const system of context.resources.systems.values()) {
    const value = asRecord(system.value);
    const spec = context.connectors.get(asString(value?.type) ?? '');
    if (!spec || !value) continue;
    const paths: PathSegment[][] = [];
    plainSecrets(value.config, spec.configSchema as SchemaNode, ['config'], paths);
    paths.forEach((path) => warn(system, path));
  }
  for (const flow of context.resources.flows.values()) {
    const trigger = asRecord(asRecord(flow.value)?.trigger);
    if (trigger?.type !== 'webhook') continue;
    asArray(trigger.secrets).forEach((secret, index) => {
      if (typeof secret === 'string' && !isProtected(secret)) warn(flow, ['trigger', 'secrets', index]);
    });
  }
  return findings;
}
