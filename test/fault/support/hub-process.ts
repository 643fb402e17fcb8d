/**
 * The hub as a real child process (`node bin/datong.js start`), for tests that kill it with
 * SIGKILL and start it again on the same data. Every process started here is remembered until
 * it exits; `killAllHubs()` (call it in afterAll) SIGKILLs whatever is left, so a failed test
 * leaves no orphans. A last-resort exit handler does the same if the test process ends early.
 *
 * ```ts
 * const port = await freePort();
 * const hub = await HubProcess.start({ workspaceDir, dataDir, port, env: { DATONG_FAILPOINTS: 'inside-batch:3' } });
 * await hub.kill9();                      // or: await hub.exited (the failpoint killed it)
 * const again = await HubProcess.start({ workspaceDir, dataDir, port });
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../bin/datong.js', import.meta.url));
const OUTPUT_KEEP = 64 * 1024;

export interface HubProcessOptions {
  workspaceDir: string;
  dataDir: string;
  port: number;
  /** `--store`; default: the SQLite file in the data dir. */
  storeUrl?: string;
  /** Extra environment (DATONG_FAILPOINTS, DATONG_LEASE_MS…); DATONG_FAILPOINTS is cleared unless given. */
  env?: Record<string, string>;
  /** How long to wait for the banner (default 60 s: a cold tsx start on a busy 2-core machine is slow). */
  startTimeoutMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const living = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of living) child.kill('SIGKILL');
});

/** SIGKILLs every hub process still running (afterAll; safe to call twice). */
export async function killAllHubs(): Promise<void> {
  const waits = [...living].map((child) => new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.kill('SIGKILL');
  }));
  await Promise.all(waits);
}

/** A TCP port that was free a moment ago (the hub binds it; a collision fails its start loudly). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class HubProcess {
  readonly url: string;
  /** The admin token from the banner (only the first start on a fresh store prints one). */
  token: string | undefined;
  readonly exited: Promise<Exit>;
  /** Milliseconds from spawn to the banner (undefined while starting, or when a failpoint ended it first). */
  readyMs: number | undefined;
  #exit: Exit | undefined;
  #output = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly options: HubProcessOptions,
  ) {
    this.url = `http://127.0.0.1:${options.port}`;
    living.add(child);
    this.exited = new Promise((resolve) => {
      child.once('close', (code, signal) => {
        living.delete(child);
        this.#exit = { code, signal };
        resolve(this.#exit);
      });
    });
    const keep = (chunk: Buffer) => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-OUTPUT_KEEP);
      const token = /DATONG_TOKEN=(\S+)/.exec(this.#output);
      if (token && !this.token) this.token = token[1];
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
  }

  /**
   * Spawns `datong start` and resolves once its banner says it is running (API listening), or
   * once an armed failpoint killed it (a worker failpoint can fire on the backlog before the
   * API is up: check `alive`). Any other early exit rejects with the process output.
   */
  static async start(options: HubProcessOptions): Promise<HubProcess> {
    const args = [BIN, 'start', '--workspace', options.workspaceDir, '--port', String(options.port), '--data-dir', options.dataDir, '--no-sidecars'];
    if (options.storeUrl) args.push('--store', options.storeUrl);
    const child = spawn(process.execPath, args, {
      env: { ...process.env, DATONG_LOG_LEVEL: 'warn', DATONG_FAILPOINTS: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const spawned = Date.now();
    const hub = new HubProcess(child, options);
    await hub.#waitForBanner(options.startTimeoutMs ?? 60_000);
    if (hub.alive) hub.readyMs = Date.now() - spawned;
    return hub;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.#exit === undefined;
  }

  /** The last 64 KB of stdout and stderr together. */
  output(): string {
    return this.#output;
  }

  /** The failpoint that killed the process, if one did. */
  failpointFired(): string | undefined {
    return /failpoint (\S+): killing process/.exec(this.#output)?.[1];
  }

  /** SIGKILL, and resolves once the process is gone (its sockets are closed by then). */
  async kill9(): Promise<Exit> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (graceful stop), then SIGKILL if it is still there after `graceMs`. */
  async stop(graceMs = 15_000): Promise<Exit> {
    if (!this.alive) return this.exited;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  async #waitForBanner(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/is running — workspace/.test(this.#output)) {
      if (!this.alive && this.failpointFired()) return;
      if (!this.alive) throw new Error(`hub exited (${JSON.stringify(this.#exit)}) before it was ready:\n${this.#output}`);
      if (Date.now() > deadline) {
        await this.kill9();
        throw new Error(`hub not ready after ${timeoutMs} ms:\n${this.#output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
