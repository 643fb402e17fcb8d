/**
 * Checks that names used across files exist: systems named by flows and mappings, mappings
 * named by map steps, and step ids named by routes. Reads values defensively, so a file with
 * schema errors still gets its references checked.
 */
import { formatMessage } from '../errors/datong-error.ts';
import type { Finding } from './finding.ts';
import { findingAt, type CheckContext, type ParsedResource } from './checked-files.ts';
import { stepIdOf } from './step-ids.ts';
import { asArray, asRecord, asString, closestName } from './value-helpers.ts';
import type { PathSegment } from './yaml-source.ts';

/** The word that ends a record as done when used as a route target. */
export const ROUTE_STOP = 'stop';

export function checkReferences(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const flow of context.resources.flows.values()) findings.push(...checkFlow(flow, context));
  for (const mapping of context.resources.mappings.values()) {
    const value = asRecord(mapping.value);
    for (const key of ['source', 'target']) findings.push(...systemReference(context, mapping, [key], value?.[key]));
  }
  return findings;
}

function checkFlow(flow: ParsedResource, context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const value = asRecord(flow.value);
  const trigger = asRecord(value?.trigger);
  if (trigger?.type === 'webhook') findings.push(...systemReference(context, flow, ['trigger', 'system'], trigger.system));
  if (trigger?.type === 'schedule') findings.push(...systemReference(context, flow, ['trigger', 'read', 'system'], asRecord(trigger.read)?.system));

  const steps = asArray(value?.steps).map((step) => asRecord(step));
  const firstIndexOfId = new Map<string, number>();
  steps.forEach((step, index) => {
    if (!step || typeof step.type !== 'string') return;
    const id = stepIdOf({ id: asString(step.id), type: step.type }, index);
    const earlier = firstIndexOfId.get(id);
    if (earlier === undefined) firstIndexOfId.set(id, index);
    else {
      const path = step.id === undefined ? ['steps', index] : ['steps', index, 'id'];
      findings.push(findingAt(flow, path, 'DT_CONFIG_DUPLICATE_ID', `${formatMessage('DT_CONFIG_DUPLICATE_ID', { id })}: steps[${earlier}] has the same step id`));
    }
  });

  steps.forEach((step, index) => {
    if (!step) return;
    const at = (...rest: PathSegment[]): PathSegment[] => ['steps', index, ...rest];
    switch (step.type) {
      case 'map':
        findings.push(...mappingReference(context, flow, at('mapping'), step.mapping));
        break;
      case 'write':
        findings.push(...systemReference(context, flow, at('system'), step.system));
        break;
      case 'lookup':
        findings.push(...systemReference(context, flow, at('system'), step.system));
        findings.push(...systemReference(context, flow, at('xref', 'system'), asRecord(step.xref)?.system));
        break;
      case 'route': {
        asArray(step.routes).forEach((route, routeIndex) => {
          findings.push(...stepReference(flow, at('routes', routeIndex, 'to'), asRecord(route)?.to, firstIndexOfId));
        });
        if (step.otherwise !== ROUTE_STOP) findings.push(...stepReference(flow, at('otherwise'), step.otherwise, firstIndexOfId));
        break;
      }
    }
  });
  return findings;
}

function systemReference(context: CheckContext, parsed: ParsedResource, path: PathSegment[], name: unknown): Finding[] {
  if (typeof name !== 'string' || context.resources.systems.has(name)) return [];
  const message = formatMessage('DT_CONFIG_UNKNOWN_SYSTEM', { system: name }) + hint(name, [...context.resources.systems.keys()], 'systems/');
  return [findingAt(parsed, path, 'DT_CONFIG_UNKNOWN_SYSTEM', message)];
}

function mappingReference(context: CheckContext, parsed: ParsedResource, path: PathSegment[], name: unknown): Finding[] {
  if (typeof name !== 'string' || context.resources.mappings.has(name)) return [];
  const message = formatMessage('DT_CONFIG_UNKNOWN_MAPPING', { mapping: name }) + hint(name, [...context.resources.mappings.keys()], 'mappings/');
  return [findingAt(parsed, path, 'DT_CONFIG_UNKNOWN_MAPPING', message)];
}

function stepReference(parsed: ParsedResource, path: PathSegment[], name: unknown, stepIds: Map<string, number>): Finding[] {
  if (typeof name !== 'string' || stepIds.has(name)) return [];
  const message = formatMessage('DT_CONFIG_UNKNOWN_STEP', { step: name }) + hint(name, [...stepIds.keys()], 'this flow\'s steps');
  return [findingAt(parsed, path, 'DT_CONFIG_UNKNOWN_STEP', message)];
}

function hint(name: string, known: string[], where: string): string {
  const guess = closestName(name, known);
  if (guess) return ` (did you mean "${guess}"?)`;
  return known.length ? '' : ` (${where} has none)`;
}
