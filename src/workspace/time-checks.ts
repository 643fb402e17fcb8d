/** Checks cron expressions (croner) and IANA time zone names (Luxon) wherever a workspace has them. */
import { Cron } from 'croner';
import { IANAZone } from 'luxon';
import { formatMessage } from '../errors/datong-error.ts';
import type { Finding } from './finding.ts';
import { findingAt, type CheckContext, type ParsedFile } from './checked-files.ts';
import { asRecord } from './value-helpers.ts';
import type { PathSegment } from './yaml-source.ts';

export function checkTimes(context: CheckContext): Finding[] {
  const findings: Finding[] = [];
  if (context.workspace) findings.push(...zone(context.workspace, ['timezone'], asRecord(context.workspace.value)?.timezone));
  for (const system of context.resources.systems.values()) findings.push(...zone(system, ['timezone'], asRecord(system.value)?.timezone));
  for (const flow of context.resources.flows.values()) {
    const trigger = asRecord(asRecord(flow.value)?.trigger);
    if (trigger?.type !== 'schedule') continue;
    findings.push(...zone(flow, ['trigger', 'timezone'], trigger.timezone));
    findings.push(...cron(flow, ['trigger', 'cron'], trigger.cron));
  }
  for (const mapping of context.resources.mappings.values()) {
    const fields = asRecord(asRecord(mapping.value)?.fields) ?? {};
    for (const [name, rule] of Object.entries(fields)) {
      findings.push(...zone(mapping, ['fields', name, 'date', 'timezone'], asRecord(asRecord(rule)?.date)?.timezone));
    }
  }
  return findings;
}

function zone(parsed: ParsedFile, path: PathSegment[], name: unknown): Finding[] {
  if (typeof name !== 'string' || IANAZone.isValidZone(name)) return [];
  return [findingAt(parsed, path, 'DT_CONFIG_TIMEZONE', `${formatMessage('DT_CONFIG_TIMEZONE', { timezone: name })}: use an IANA name such as Asia/Shanghai`)];
}

function cron(parsed: ParsedFile, path: PathSegment[], expression: unknown): Finding[] {
  if (typeof expression !== 'string') return [];
  try {
    // Without a callback croner only parses the pattern; `paused` makes sure nothing is scheduled.
    new Cron(expression, { paused: true });
    return [];
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern: /, '');
    return [findingAt(parsed, path, 'DT_CONFIG_CRON', formatMessage('DT_CONFIG_CRON', { cron: expression, reason }))];
  }
}
