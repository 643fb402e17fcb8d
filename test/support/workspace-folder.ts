/** Writes a workspace folder from plain objects, for tests that start a real hub. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface WorkspaceSpec {
  name?: string;
  file?: Record<string, unknown>;
  systems?: Record<string, unknown>;
  flows?: Record<string, unknown>;
  mappings?: Record<string, unknown>;
}

export function writeWorkspace(spec: WorkspaceSpec, dir = mkdtempSync(join(tmpdir(), 'datong-ws-'))): string {
  writeFileSync(join(dir, 'datong.yaml'), stringify({ apiVersion: 'datong/v1', name: spec.name ?? 'test', ...spec.file }));
  for (const kind of ['systems', 'flows', 'mappings'] as const) {
    mkdirSync(join(dir, kind), { recursive: true });
    for (const [id, value] of Object.entries(spec[kind] ?? {})) writeFileSync(join(dir, kind, `${id}.yaml`), stringify(value));
  }
  return dir;
}

/** Polls `check` until it returns a truthy value or the time runs out. */
export async function waitFor<T>(check: () => Promise<T> | T, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let last: T;
  do {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  } while (Date.now() < deadline);
  throw new Error(`timed out waiting for ${options.what ?? 'condition'} (last: ${JSON.stringify(last)})`);
}
