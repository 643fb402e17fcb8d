/**
 * Checks what depends on the connector registry: each system's `type` names a known connector
 * and its `config` fits that connector's schema; each flow uses only capabilities its
 * systems' connectors have, with options that fit the connector's option schemas.
 */
import type { TSchema } from 'typebox';
import type { Capability, ConnectorSpec } from '../sdk/connector.ts';
import { formatMessage } from '../errors/datong-error.ts';
import type { Finding } from './finding.ts';
import { findingAt, type CheckContext, type ParsedResource } from './checked-files.ts';
import { checkSchema } from './schema-check.ts';
import { asArray, asRecord, asString, closestName } from './value-helpers.ts';
import type { PathSegment } from './yaml-source.ts';

export function checkConnectors(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const system of context.resources.systems.values()) {
    const value = asRecord(system.value);
    const type = asString(value?.type);
    if (type === undefined) continue;
    const spec = context.connectors.get(type);
    if (!spec) {
      const known = [...context.connectors.keys()];
      const guess = closestName(type, known);
      const suffix = guess ? ` (did you mean "${guess}"?)` : ` (known: ${known.join(', ') || 'none'})`;
      findings.push(findingAt(system, ['type'], 'DT_CONFIG_UNKNOWN_CONNECTOR', formatMessage('DT_CONFIG_UNKNOWN_CONNECTOR', { type }) + suffix));
      continue;
    }
    const config = asRecord(value?.config);
    if (config) findings.push(...checkSchema({ source: system.source, value: config, schema: spec.configSchema, base: ['config'], subject: `${type} config` }));
  }
  for (const flow of context.resources.flows.values()) findings.push(...checkFlowConnectors(flow, context));
  return findings;
}

function checkFlowConnectors(flow: ParsedResource, context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const value = asRecord(flow.value);
  const trigger = asRecord(value?.trigger);
  const read = asRecord(trigger?.read);
  if (trigger?.type === 'schedule' && read) {
    findings.push(...use(context, flow, { capability: 'read', systemPath: ['trigger', 'read', 'system'], system: read.system, optionsPath: ['trigger', 'read', 'options'], options: read.options, schema: (spec) => spec.readOptionsSchema }));
  }
  asArray(value?.steps).forEach((raw, index) => {
    const step = asRecord(raw);
    if (step?.type === 'write') {
      findings.push(...use(context, flow, { capability: 'write', systemPath: ['steps', index, 'system'], system: step.system, optionsPath: ['steps', index, 'options'], options: step.options, schema: (spec) => spec.writeOptionsSchema }));
    }
    if (step?.type === 'lookup' && step.system !== undefined) {
      findings.push(...use(context, flow, { capability: 'lookup', systemPath: ['steps', index, 'system'], system: step.system, optionsPath: ['steps', index, 'options'], options: step.options ?? {}, schema: (spec) => spec.lookupOptionsSchema }));
    }
  });
  return findings;
}

interface Use {
  capability: Capability;
  systemPath: PathSegment[];
  system: unknown;
  optionsPath: PathSegment[];
  options: unknown;
  schema: (spec: ConnectorSpec<any>) => TSchema | undefined;
}

/** One use of a system by a flow; unknown systems and connectors are reported elsewhere. */
function use(context: CheckContext, flow: ParsedResource, want: Use): Finding[] {
  const systemId = asString(want.system);
  const type = asString(asRecord(systemId === undefined ? undefined : context.resources.systems.get(systemId)?.value)?.type);
  const spec = type === undefined ? undefined : context.connectors.get(type);
  if (!spec || systemId === undefined) return [];
  if (!spec.capabilities.includes(want.capability)) {
    const message = `${formatMessage('DT_CONFIG_CAPABILITY', { system: systemId, type: spec.type, capability: want.capability })} (it can: ${spec.capabilities.join(', ') || 'nothing'})`;
    return [findingAt(flow, want.systemPath, 'DT_CONFIG_CAPABILITY', message)];
  }
  const schema = want.schema(spec);
  const options = asRecord(want.options);
  if (!schema || !options) return [];
  return checkSchema({ source: flow.source, value: options, schema, base: want.optionsPath, subject: `${spec.type} ${want.capability} options` });
}
