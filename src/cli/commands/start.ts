import type { Command } from 'commander';

export function startCommand(program: Command): void {
  program
    .command('start')
    .description('Start the hub: API, worker and scheduler, with the workspace folder as the active configuration')
    .option('-w, --workspace <dir>', 'workspace folder (datong.yaml, systems/, flows/, mappings/)', '.')
    .option('-p, --port <port>', 'HTTP port (env DATONG_PORT)', process.env.DATONG_PORT ?? '7878')
    .option('--host <host>', 'address to listen on (env DATONG_HOST)', process.env.DATONG_HOST ?? '127.0.0.1')
    .option('--store <url>', 'store URL: sqlite:<file> or postgres://… (env DATONG_STORE_URL)')
    .option('--data-dir <dir>', 'folder for the SQLite store and the master key (env DATONG_DATA_DIR)', process.env.DATONG_DATA_DIR ?? 'data')
    .option('--no-work', 'serve the API only: no worker, no scheduler (scale-out front ends)')
    .option('--no-sidecars', 'do not start the sidecar processes the workspace declares')
    .action(async (options: { workspace: string; port: string; host: string; store?: string; dataDir: string; work: boolean; sidecars: boolean }) => {
      // Loaded here, not at the top: `datong --help` should not load the whole hub.
      const [{ ensureAdminToken }, { buildServer }, { Hub }, { printBanner }, { startSidecars }] = await Promise.all([
        import('../../auth/tokens.ts'),
        import('../../api/server.ts'),
        import('../../hub/hub.ts'),
        import('./start-banner.ts'),
        import('../../hub/sidecars.ts'),
      ]);
      const hub = await Hub.start({ workspaceDir: options.workspace, storeUrl: options.store, dataDir: options.dataDir, work: options.work });
      const server = await buildServer(hub);
      const address = await server.listen({ port: Number(options.port), host: options.host });
      const adminToken = await ensureAdminToken(hub.db, hub.audit);
      printBanner({ url: address, hub, adminToken: adminToken?.token });
      const sidecars = options.sidecars ? startSidecars({ hub, url: address, logger: hub.logger }) : undefined;

      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        hub.logger.info({ signal }, 'stopping');
        await sidecars?.stop();
        await server.close();
        await hub.stop();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });
}
