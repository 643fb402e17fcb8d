/**
 * A problem found in a workspace's files, located at the YAML node it is about.
 * `line` and `column` are 1-based; `path` names the node inside its file, e.g. `steps[2].options.table`.
 */
import type { ErrorCode } from '../errors/catalogue.ts';

export type FindingSeverity = 'error' | 'warning';

export interface Finding {
  /** Relative to the workspace folder, with forward slashes, e.g. `flows/orders.yaml`. */
  file: string;
  line: number;
  column: number;
  path: string;
  code: ErrorCode;
  message: string;
  severity: FindingSeverity;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

/** Orders findings as a reader goes through the files: by file, then line, then column. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
  );
}
