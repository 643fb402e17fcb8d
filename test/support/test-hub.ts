/**
 * A real hub for API and CLI tests: a temp workspace folder, a temp SQLite store, the HTTP API
 * built with `buildServer` (use `app.inject`), and a {@link WitnessServer} as the ERP target.
 *
 * The default workspace: webhook flow `orders` from system `shop` maps with `order-to-erp`
 * (订单号 → id, buyer name required) and writes to system `erp` (http → the witness) at /orders.
 * Pass `flows`, `systems`, `mappings` (YAML text by id) to add or replace resources; `{{erp}}`
 * in any text is replaced by the witness URL.
 *
 * ```ts
 * const t = await startTestHub();
 * const res = await t.app.inject({ method: 'GET', url: '/api/v1/status', headers: t.auth() });
 * await t.stop();
 * ```
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildServer } from '../../src/api/server.ts';
import { createToken, ensureAdminToken } from '../../src/auth/tokens.ts';
import type { Role } from '../../src/auth/roles.ts';
import { WitnessServer } from '../../src/connectors/http/testing/witness-server.ts';
import { Hub } from '../../src/hub/hub.ts';
import type { Logger } from '../../src/sdk/logger.ts';

export const WEBHOOK_SECRET = 'test-webhook-secret-打通';

export const DEFAULT_SYSTEMS: Record<string, string> = {
  shop: `type: http
description: 网店开放平台
config:
  baseUrl: http://127.0.0.1:9/unused
`,
  erp: `type: http
description: ERP 接口（测试目标）
config:
  baseUrl: "{{erp}}"
  auth:
    type: bearer
    token: erp-secret-token
  timeoutMs: 2000
`,
};

export const DEFAULT_MAPPINGS: Record<string, string> = {
  'order-to-erp': `description: 网店订单 → ERP 销售订单
source: shop
target: erp
fields:
  id: orderNo
  customer:
    from: buyer.name
    trim: true
    required: true
  amount:
    from: totalFen
    decimal: { divide: 100, scale: 2 }
`,
};

export const DEFAULT_FLOWS: Record<string, string> = {
  orders: `# 网店订单实时推送到 ERP
description: 网店订单推送到 ERP
trigger:
  type: webhook
  system: shop
  secrets:
    - \${env:SHOP_WEBHOOK_SECRET}
  sourceId: orderNo
steps:
  - id: to-erp-order
    type: map
    mapping: order-to-erp
  - id: write-erp
    type: write
    system: erp
    options:
      path: /orders
retry:
  maxAttempts: 2
  initialDelayMs: 50
  maxDelayMs: 100
`,
};

export interface TestHubOptions {
  systems?: Record<string, string>;
  flows?: Record<string, string>;
  mappings?: Record<string, string>;
  /** Extra environment for secret references. */
  env?: Record<string, string>;
  /** Run the worker (default true). */
  work?: boolean;
}

export interface TestHub {
  hub: Hub;
  app: FastifyInstance;
  /** The witness server the `erp` system writes to. */
  erp: WitnessServer;
  adminToken: string;
  dir: string;
  /** `{ authorization: 'Bearer …' }` for the admin token, or the given one. */
  auth(token?: string): Record<string, string>;
  /** A new token with this role. */
  token(role: Role, name?: string): Promise<string>;
  /** `app.inject` with the admin token, answering the parsed JSON body too. */
  call(method: InjectOptions['method'], url: string, body?: unknown, token?: string): Promise<LightMyRequestResponse & { data: any }>;
  /** Accepts one record into a flow (as `POST /flows/:flow/run` does) and returns its id. */
  send(flow: string, payload: unknown, sourceId?: string): Promise<string>;
  /** Waits until the record reaches one of the states. */
  waitForState(recordId: string, states: string[], timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const dir = await mkdtemp(join(tmpdir(), 'datong-hub-'));
  const workspaceDir = join(dir, 'workspace');
  const erp = await WitnessServer.start({ auth: { type: 'bearer', token: 'erp-secret-token' } });
  const fill = (text: string) => text.replaceAll('{{erp}}', erp.url);
  await writeFiles(workspaceDir, {
    'datong.yaml': 'apiVersion: datong/v1\nname: 测试工作区\ntimezone: Asia/Shanghai\n',
    ...files('systems', { ...DEFAULT_SYSTEMS, ...options.systems }, fill),
    ...files('mappings', { ...DEFAULT_MAPPINGS, ...options.mappings }, fill),
    ...files('flows', { ...DEFAULT_FLOWS, ...options.flows }, fill),
  });
  const hub = await Hub.start({
    workspaceDir,
    storeUrl: `sqlite:${join(dir, 's.db')}`,
    dataDir: join(dir, 'data'),
    env: { SHOP_WEBHOOK_SECRET: WEBHOOK_SECRET, DATONG_LOG_LEVEL: 'silent', ...options.env },
    logger: pino({ level: 'silent' }) as unknown as Logger,
    work: options.work,
  });
  const app = await buildServer(hub);
  const admin = await ensureAdminToken(hub.db, hub.audit);
  if (!admin) throw new Error('a fresh store should get an admin token');
  const adminToken = admin.token;
  const auth = (token = adminToken) => ({ authorization: `Bearer ${token}` });

  const call: TestHub['call'] = async (method, url, body, token) => {
    const response = await app.inject({ method, url, headers: auth(token), ...(body === undefined ? {} : { payload: body as object }) });
    let data: unknown;
    try {
      data = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      data = response.body;
    }
    return Object.assign(response, { data });
  };

  let stopped = false;
  return {
    hub,
    app,
    erp,
    adminToken,
    dir: workspaceDir,
    auth,
    async token(role, name = `${role}-${Math.random().toString(36).slice(2, 8)}`) {
      const created = await createToken(hub.db, { name, role, createdBy: 'test' }, hub.audit);
      return created.token;
    },
    call,
    async send(flow, payload, sourceId) {
      const response = await call('POST', `/api/v1/flows/${flow}/run`, { payload, ...(sourceId ? { sourceId } : {}) });
      if (response.statusCode !== 202) throw new Error(`run ${flow} answered ${response.statusCode}: ${response.body}`);
      return response.data.recordId as string;
    },
    async waitForState(recordId, states, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await hub.db.get<{ state: string }>('SELECT state FROM records WHERE id = ?', [recordId]);
        if (row && states.includes(row.state)) return row.state;
        if (Date.now() > deadline) throw new Error(`record ${recordId} is ${row?.state ?? 'missing'}, not ${states.join('/')} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      await hub.stop(2000);
      await erp.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function files(kind: string, resources: Record<string, string>, fill: (text: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(resources).map(([id, text]) => [`${kind}/${id}.yaml`, fill(text)]));
}

async function writeFiles(dir: string, texts: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(texts)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}
