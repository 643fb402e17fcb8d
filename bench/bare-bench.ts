/** The ceiling: the bare server (bare-server.ts) under the same load generator and duration. */
import { Child } from './child.ts';
import { driveLoad, type LoadWindow } from './drive-load.ts';
import { BENCH_SECRET } from './e2e-workspace.ts';

export interface BareResult {
  /** The baseline: the mean of the runs (one before and one after the end-to-end runs). */
  requestsPerSec: number;
  runs: BareRun[];
}

export interface BareRun {
  requestsPerSec: number;
  responseP50Ms?: number;
  responseP99Ms?: number;
  peakRssMb: number;
  serverCpuCores: number;
  window: LoadWindow;
}

export async function runBare(options: { seconds: number; warmupSeconds: number; connections: number }): Promise<BareRun> {
  const server = Child.start('bare-server.ts', { secret: BENCH_SECRET }, { name: 'bare server' });
  try {
    const { port } = await server.next<{ type: string; port: number }>('ready');
    const cpu: number[] = [];
    const window = await driveLoad({
      origin: `http://127.0.0.1:${port}`,
      path: '/hooks/orders',
      secret: BENCH_SECRET,
      connections: options.connections,
      backlogBound: Number.MAX_SAFE_INTEGER,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      onMark: async () => {
        const usage = await server.request<{ type: string; cpuUserMs: number; cpuSystemMs: number }>({ type: 'usage' }, 'usage');
        cpu.push(usage.cpuUserMs + usage.cpuSystemMs);
      },
    });
    const stopped = await server.request<{ type: string; peakRssBytes: number }>({ type: 'stop' }, 'stopped');
    await server.exit();
    if (window.refused || window.errors) throw new Error(`the bare server refused ${window.refused} and failed ${window.errors} requests`);
    return {
      requestsPerSec: window.acceptedPerSec,
      responseP50Ms: window.responseP50Ms,
      responseP99Ms: window.responseP99Ms,
      peakRssMb: stopped.peakRssBytes / 1_048_576,
      serverCpuCores: (cpu[1]! - cpu[0]!) / 1000 / window.seconds,
      window,
    };
  } finally {
    if (server.process.connected) {
      server.send({ type: 'stop' });
      await server.exit(10_000);
    }
  }
}

export function combineBare(runs: BareRun[]): BareResult {
  return { requestsPerSec: runs.reduce((sum, run) => sum + run.requestsPerSec, 0) / runs.length, runs };
}
