/**
 * `datong validate`: loads a workspace, prints each finding and a summary, and returns the
 * process exit code (0 valid, 1 not). The CLI wires this to its command line.
 */
import type { ConnectorSpec } from '../sdk/connector.ts';
import { formatFinding } from './format-finding.ts';
import { loadWorkspace } from './load-workspace.ts';
import type { Finding } from './finding.ts';

export interface ValidateOptions {
  connectors: ReadonlyMap<string, ConnectorSpec<any>>;
  /** Where lines go; defaults to stdout. */
  out?: (line: string) => void;
}

export async function runValidate(dir: string, options: ValidateOptions): Promise<number> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { workspace, findings } = await loadWorkspace(dir, { connectors: options.connectors });
  for (const finding of findings) out(formatFinding(finding));
  if (workspace) {
    const counts = [
      count(Object.keys(workspace.systems).length, 'system'),
      count(Object.keys(workspace.flows).length, 'flow'),
      count(Object.keys(workspace.mappings).length, 'mapping'),
    ];
    if (findings.length) {
      // Usable, but any finding fails the lint: a warning is a mistake waiting to happen.
      out(`✖ ${count(findings.length, 'warning')} in an otherwise valid workspace: ${counts.join(', ')}`);
      return 1;
    }
    out(`✔ workspace valid: ${counts.join(', ')}`);
    return 0;
  }
  out(`✖ ${problemSummary(findings)}`);
  return 1;
}

function problemSummary(findings: readonly Finding[]): string {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.length - errors;
  const total = count(findings.length, 'problem');
  return warnings ? `${total} (${count(errors, 'error')}, ${count(warnings, 'warning')})` : total;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
