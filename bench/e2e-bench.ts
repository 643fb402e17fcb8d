/**
 * End to end and durable: the hub in its own process (real HTTP server, real Hub.start, store
 * SQLite with synchronous=FULL or PostgreSQL), the load generator in another, and this process
 * reading the store and the target from outside both.
 *
 *   done/s     records completed as done in the store during the window (their target row is
 *              written and their completion committed)
 *   intake/s   webhook deliveries answered 202 (committed) during the window
 *   latency    written_at - sent_at of the target rows written during the window
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Child } from './child.ts';
import { driveLoad, type LoadWindow } from './drive-load.ts';
import { BENCH_FLOW, BENCH_SECRET, benchWorkspace, createTarget, TARGET_TABLE, targetPathIn } from './e2e-workspace.ts';
import type { HubProcessOptions, ProcessUsage } from './hub-process.ts';
import { postgresProbe, sqliteProbe, type StoreProbe } from './store-probe.ts';
import { quantile } from './stats.ts';

export const POSTGRES_URL = process.env.DATONG_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface E2eOptions {
  store: 'sqlite' | 'postgres';
  seconds: number;
  warmupSeconds: number;
  connections: number;
  backlogBound: number;
  profileDir?: string;
  worker?: { batchSize?: number; maxBatchesInFlight?: number };
}

export interface E2eResult {
  store: 'sqlite' | 'postgres';
  target: string;
  donePerSec: number;
  intakePerSec: number;
  /** Target rows written per second in the window (a cross-check of donePerSec). */
  writtenPerSec: number;
  latencyP50Ms?: number;
  latencyP99Ms?: number;
  /** Response time of the webhook (send → 202), for the deliveries answered in the window. */
  responseP50Ms?: number;
  responseP99Ms?: number;
  peakRssMb: number;
  /** Hub CPU time / window time (1 = one core busy). */
  hubCpuCores: number;
  window: LoadWindow;
}

interface StoreSetup {
  url: string;
  probe(): Promise<StoreProbe>;
  cleanup(): Promise<void>;
}

async function setupStore(kind: E2eOptions['store'], dir: string): Promise<StoreSetup> {
  if (kind === 'sqlite') {
    const path = join(dir, 'store.db');
    return { url: `sqlite:${path}`, probe: async () => sqliteProbe(path), cleanup: async () => {} };
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`).finally(() => admin.end());
  const url = `${POSTGRES_URL}${POSTGRES_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url,
    probe: () => postgresProbe(url),
    async cleanup() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
    },
  };
}

export async function runE2e(options: E2eOptions): Promise<E2eResult> {
  const dir = mkdtempSync(join(tmpdir(), `datong-bench-${options.store}-`));
  const targetPath = targetPathIn(dir);
  createTarget(targetPath);
  const workspaceDir = benchWorkspace(targetPath);
  const store = await setupStore(options.store, dir);
  const execArgv: string[] = [];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    execArgv.push("--cpu-prof", `--cpu-prof-dir=${resolve(options.profileDir, `hub-${options.store}-${Date.now()}`)}`);
  }
  const hubOptions: HubProcessOptions = { workspaceDir, dataDir: join(dir, 'data'), storeUrl: store.url, worker: options.worker };
  const hub = Child.start('hub-process.ts', hubOptions, { name: 'hub', execArgv });
  let probe: StoreProbe | undefined;
  try {
    const { port } = await hub.next<{ type: string; port: number }>('ready');
    probe = await store.probe();
    const marks: { done: number; cpuMs: number; at: number }[] = [];
    const mark = async () => {
      const usage = await hub.request<ProcessUsage & { type: string }>({ type: 'usage' }, 'usage');
      marks.push({ done: await probe!.done(), cpuMs: usage.cpuUserMs + usage.cpuSystemMs, at: performance.now() });
    };
    const window = await driveLoad({
      origin: `http://127.0.0.1:${port}`,
      path: `/hooks/${BENCH_FLOW}`,
      secret: BENCH_SECRET,
      connections: options.connections,
      backlogBound: options.backlogBound,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      backlog: () => probe!.backlog(),
      onMark: mark,
    });
    const [first, last] = marks as [(typeof marks)[0], (typeof marks)[0]];
    const elapsed = (last.at - first.at) / 1000;
    const stopped = await hub.request<ProcessUsage & { type: string }>({ type: 'stop' }, 'stopped', 120_000);
    await hub.exit();
    const target = new Database(targetPath, { readonly: true });
    const latencies = Float64Array.from(
      (target.prepare(`SELECT written_at - sent_at AS ms FROM ${TARGET_TABLE} WHERE written_at BETWEEN ? AND ?`).all(window.start, window.end) as { ms: number }[]).map((row) => row.ms),
    ).sort();
    target.close();
    return {
      store: options.store,
      target: 'sqlite (WAL, synchronous=FULL)',
      donePerSec: (last.done - first.done) / elapsed,
      intakePerSec: window.acceptedPerSec,
      writtenPerSec: latencies.length / window.seconds,
      latencyP50Ms: quantile(latencies, 0.5),
      latencyP99Ms: quantile(latencies, 0.99),
      responseP50Ms: window.responseP50Ms,
      responseP99Ms: window.responseP99Ms,
      peakRssMb: stopped.peakRssBytes / 1_048_576,
      hubCpuCores: (last.cpuMs - first.cpuMs) / 1000 / elapsed,
      window,
    };
  } finally {
    await probe?.close();
    if (hub.process.connected) {
      hub.send({ type: 'stop' });
      await hub.exit(30_000);
    }
    await store.cleanup();
    rmSync(dir, { recursive: true, force: true });
    rmSync(workspaceDir, { recursive: true, force: true });
  }
}
