/**
 * Named crash points for fault-injection tests: `DATONG_FAILPOINTS=after-write-before-done:40`
 * kills the process with SIGKILL the 40th time that point is passed. Off (a no-op) unless the
 * variable is set.
 */
export type FailpointName = 'after-commit-before-ack' | 'after-write-before-done' | 'inside-batch' | 'after-lease';

const armed = new Map<string, number>();
for (const entry of (process.env.DATONG_FAILPOINTS ?? '').split(',').filter(Boolean)) {
  const [name, count] = entry.split(':');
  armed.set(name, Number(count ?? 1));
}

export function failpoint(name: FailpointName): void {
  if (armed.size === 0) return;
  const remaining = armed.get(name);
  if (remaining === undefined) return;
  if (remaining <= 1) {
    process.stderr.write(`failpoint ${name}: killing process ${process.pid}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  armed.set(name, remaining - 1);
}
