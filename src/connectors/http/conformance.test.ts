import { describeSinkConformance } from '../../sdk/testing/sink-conformance.ts';
import { silentLogger } from '../../sdk/logger.ts';
import { httpSpec } from './spec.ts';
import { WitnessServer } from './testing/witness-server.ts';

const auth = { type: 'bearer', token: 'conformance-token-0001' } as const;

describeSinkConformance('http', async () => {
  const server = await WitnessServer.start({
    auth,
    // 名称 must be text: the poison item carries a number there.
    validate: (record) => (typeof record.id !== 'string' ? 'id is required' : typeof record.名称 !== 'string' ? '名称 must be text' : undefined),
  });
  return {
    connector: () =>
      httpSpec.create(
        { baseUrl: `${server.url}/api`, auth, timeoutMs: 2_000, maxConnections: 8 },
        { systemId: 'crm', timezone: 'Asia/Shanghai', baseDir: '.', logger: silentLogger },
      ),
    writeOptions: { method: 'PUT', path: '/customers/{id}' },
    item: (n, version) => ({ id: `sink-${String(n).padStart(4, '0')}`, 名称: `上海客户${n}号有限公司`, 城市: '上海', ...(version ? { version } : {}) }),
    poison: () => ({ id: 'sink-poison', 名称: 12345 }),
    witness: async () => server.deliveries.flatMap((entry) => (entry.id === undefined ? [] : [{ id: entry.id, idempotencyKey: entry.idempotencyKey, version: entry.version }])),
    stored: async () => server.stored(),
    dedupesRawWrites: false,
    outage: async () => {
      await server.down();
      return () => server.up();
    },
    reset: async () => server.reset(),
    close: () => server.close(),
  };
});
