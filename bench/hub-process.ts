/**
 * The hub under test, in its own process: the real `Hub.start` and the real Fastify server on
 * 127.0.0.1. Reports its port once listening; on `stop` shuts down gracefully and reports its
 * peak RSS (getrusage maxrss) and CPU time. `usage` reports CPU time so far.
 */
import { buildServer } from '../src/api/server.ts';
import { Hub } from '../src/hub/hub.ts';
import { silentLogger } from '../src/sdk/logger.ts';
import { childOptions, reply, type Message } from './child.ts';

export interface HubProcessOptions {
  workspaceDir: string;
  dataDir: string;
  storeUrl: string;
  worker?: { batchSize?: number; maxBatchesInFlight?: number };
}

export interface ProcessUsage {
  type: string;
  cpuUserMs: number;
  cpuSystemMs: number;
  rssBytes: number;
  peakRssBytes: number;
}

const options = childOptions<HubProcessOptions>();
const hub = await Hub.start({
  workspaceDir: options.workspaceDir,
  dataDir: options.dataDir,
  storeUrl: options.storeUrl,
  logger: silentLogger,
  defaultMetrics: false,
  synchronous: 'FULL',
  worker: options.worker,
});
const app = await buildServer(hub);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('the server has no TCP address');

function usage(type: string): ProcessUsage {
  const cpu = process.cpuUsage();
  return { type, cpuUserMs: cpu.user / 1000, cpuSystemMs: cpu.system / 1000, rssBytes: process.memoryUsage.rss(), peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

process.on('message', async (message: Message) => {
  if (message.type === 'usage') reply({ ...usage('usage') });
  if (message.type === 'stop') {
    await app.close();
    await hub.stop(30_000);
    reply({ ...usage('stopped') });
    // process.exit (not a kill) so that a --cpu-prof profile is written; the delay lets IPC flush.
    setTimeout(() => process.exit(0), 200);
  }
});
reply({ type: 'ready', port: address.port });
