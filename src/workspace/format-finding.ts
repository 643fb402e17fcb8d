import type { Finding } from './finding.ts';

/**
 * One finding as one line: `file:line:col path — message [DT_…]`, the shape editors and CI
 * logs turn into links. A finding about a whole file has no path; a warning says so.
 */
export function formatFinding(finding: Finding): string {
  const where = `${finding.file}:${finding.line}:${finding.column}${finding.path ? ` ${finding.path}` : ''}`;
  const message = finding.severity === 'warning' ? `warning: ${finding.message}` : finding.message;
  return `${where} — ${message} [${finding.code}]`;
}
