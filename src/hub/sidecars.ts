/**
 * Sidecars: local helper processes a workspace declares (simulators, protocol bridges) that
 * `datong start` runs beside the hub, restarts when they die, and stops with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../sdk/logger.ts';
import type { Hub } from './hub.ts';

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));

export function startSidecars(options: { hub: Hub; url: string; logger: Logger }): { stop(): Promise<void> } {
  const specs = options.hub.snapshot.workspace.file.sidecars ?? [];
  const children = new Map<string, ChildProcess>();
  let stopping = false;

  const launch = (spec: (typeof specs)[number]) => {
    const [program, ...args] = spec.command;
    const isScript = /\.(ts|js|mjs)$/.test(program);
    const command = isScript ? process.execPath : program;
    const argv = isScript ? [RUN_TS, resolve(options.hub.workspaceDir, program), ...args] : args;
    let env: Record<string, string>;
    try {
      env = sidecarEnv(spec, (value, path) => options.hub.resolveSecret(value, path));
    } catch (error) {
      options.logger.error({ sidecar: spec.name, err: String(error) }, 'sidecar not started: its env cannot be resolved');
      return;
    }
    const child = spawn(command, argv, {
      cwd: options.hub.workspaceDir,
      env: { ...process.env, ...env, DATONG_URL: options.url },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.set(spec.name, child);
    options.logger.info({ sidecar: spec.name, pid: child.pid }, 'sidecar started');
    child.on('exit', (code, signal) => {
      children.delete(spec.name);
      if (stopping) return;
      options.logger.warn({ sidecar: spec.name, code, signal }, 'sidecar exited; restarting in 2 s');
      setTimeout(() => !stopping && launch(spec), 2000).unref();
    });
  };
  specs.forEach(launch);

  return {
    async stop() {
      stopping = true;
      await Promise.all(
        [...children.values()].map(
          (child) =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
              setTimeout(() => (child.kill('SIGKILL'), done()), 3000).unref();
            }),
        ),
      );
    },
  };
}

/**
 * A sidecar's `env` values may hold `${env:NAME}` / `${env:NAME:-default}` references (and
 * encrypted values), resolved like any other workspace value, so a workspace can hand its
 * helpers the same settings, with the same defaults, that its systems use.
 */
export function sidecarEnv(spec: { name: string; env?: Record<string, string> }, resolveValue: (value: string, path: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.env ?? {})) out[name] = resolveValue(value, `datong.sidecars.${spec.name}.env.${name}`);
  return out;
}
