import { DatongError, toDatongError } from '../errors/datong-error.ts';

/** Prints an error as `message [CODE]` on stderr and returns the exit code. */
export function reportCliError(error: unknown): number {
  const failure = error instanceof DatongError ? error : toDatongError(error);
  process.stderr.write(`✖ ${failure.message} [${failure.code}]\n`);
  const findings = failure.details?.findings;
  if (Array.isArray(findings)) {
    for (const finding of findings as { file: string; line: number; column: number; path: string; message: string; code: string }[]) {
      process.stderr.write(`  ${finding.file}:${finding.line}:${finding.column} ${finding.path} — ${finding.message} [${finding.code}]\n`);
    }
  }
  return 1;
}
