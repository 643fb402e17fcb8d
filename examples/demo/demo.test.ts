/**
 * The demo end to end, as a user runs it: `datong start --workspace examples/demo` with its
 * simulator sidecar, on free ports and a temporary data folder (so it can run beside a
 * developer's own demo). Within ~30 s orders must reach the ERP tables, the metrics must move
 * and ERP stock must reach the shop; stopping the hub must stop the simulator too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const DEADLINE_MS = 40_000;

let hub: ChildProcess | undefined;
let output = '';
const dataDir = mkdtempSync(join(tmpdir(), 'datong-demo-'));

afterAll(() => {
  // Safety net: whatever is left of the process group goes (the hub and anything it started).
  if (hub?.pid) {
    try {
      process.kill(-hub.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hub?.exitCode !== null && hub?.exitCode !== undefined) throw new Error(`the hub exited (${hub.exitCode}) while waiting for ${what}:\n${output.slice(-4000)}`);
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; hub output:\n${output.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function metric(text: string, name: string, labels: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) && line.includes(labels)) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

function salesOrders(): { orders: number; lines: number } | undefined {
  const file = join(dataDir, 'demo-erp.db');
  if (!existsSync(file)) return undefined;
  const erp = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const orders = (erp.prepare('SELECT COUNT(*) AS n FROM sales_order').get() as { n: number }).n;
    const lines = (erp.prepare('SELECT COUNT(*) AS n FROM sales_order_line').get() as { n: number }).n;
    return { orders, lines };
  } catch {
    return undefined; // tables not created yet
  } finally {
    erp.close();
  }
}

describe('demo (npm start)', () => {
  it('moves orders into the ERP and stock to the shop, and stops cleanly', { timeout: 120_000 }, async () => {
    const [hubPort, shopPort] = [await freePort(), await freePort()];
    const base = `http://127.0.0.1:${hubPort}`;
    hub = spawn(process.execPath, ['bin/datong.js', 'start', '--workspace', 'examples/demo', '--port', String(hubPort)], {
      cwd: REPO,
      env: { ...process.env, DATONG_DATA_DIR: dataDir, DEMO_SHOP_PORT: String(shopPort), DEMO_ORDER_RATE: '5', DATONG_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so nothing it starts can outlive the test
    });
    hub.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    hub.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const token = await until('the admin token in the banner', () => /DATONG_TOKEN=(\S+)/.exec(output)?.[1]);
    const api = async (path: string) => {
      const response = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, `GET ${path}`).toBe(200);
      return response.json() as Promise<unknown>;
    };
    expect(JSON.stringify(await api('/flows'))).toContain('shop-orders');

    // Orders land in sales_order (with lines), and keep landing.
    const first = await until('sales orders in the ERP', () => {
      const counts = salesOrders();
      return counts && counts.orders > 0 ? counts : undefined;
    });
    expect(first.lines).toBeGreaterThanOrEqual(first.orders);
    await until('more sales orders', () => ((salesOrders()?.orders ?? 0) > first.orders ? true : undefined));

    // The metrics move.
    const scrape = async () => (await fetch(`${base}/metrics`)).text();
    const before = await scrape();
    const accepted = metric(before, 'datong_records_accepted_total', 'flow="shop-orders"');
    const done = metric(before, 'datong_records_done_total', 'flow="shop-orders"');
    expect(accepted).toBeGreaterThan(0);
    await until('the metrics to move', async () => {
      const now = await scrape();
      const moved =
        metric(now, 'datong_records_accepted_total', 'flow="shop-orders"') > accepted && metric(now, 'datong_records_done_total', 'flow="shop-orders"') > done;
      return moved ? true : undefined;
    });

    // ERP stock reaches the shop through the scheduled stock-push flow.
    const stats = await until('stock pushes at the shop', async () => {
      const body = (await (await fetch(`http://127.0.0.1:${shopPort}/api/stats`)).json()) as { applied: number; skus: number };
      return body.applied > 0 ? body : undefined;
    });
    expect(stats.skus).toBeGreaterThan(0);
    // The shop answers before the hub records the write as done: wait for that too.
    await until('stock-push records done', async () => (metric(await scrape(), 'datong_records_done_total', 'flow="stock-push"') > 0 ? true : undefined));

    // SIGTERM to the hub alone: it must stop its simulator (the shop port closes) and exit 0.
    const exited = new Promise<number | null>((resolve) => hub!.once('exit', (code) => resolve(code)));
    hub.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await listening(shopPort)).toBe(false);
    expect(await listening(hubPort)).toBe(false);
  });
});
