/**
 * The simulator's settings, all from the environment so a test (or a second demo) can run beside
 * a developer's demo on other ports and another data folder. The defaults are the ones the
 * workspace files use when nothing is set, so `npm start` on a fresh machine needs no setup.
 */
import { resolve } from 'node:path';

export interface SimulatorConfig {
  /** Where the hub listens; `datong start` passes it to every sidecar. */
  hubUrl: string;
  shopHost: string;
  shopPort: number;
  /** Bearer token the hub's `shop` system sends with stock pushes. */
  shopToken: string;
  /** HMAC secret the order webhooks are signed with (the `shop-orders` flow checks it). */
  webhookSecret: string;
  /** Absolute path of the ERP database file. */
  erpDbPath: string;
  /** New orders per second (status updates and bad orders come on top, now and then). */
  orderRate: number;
  /** Seconds between two rounds of ERP stock changes. */
  stockEverySeconds: number;
  /** Share of order deliveries that are deliberately bad, for the dead-letter queue. */
  badShare: number;
  /** Share of stock pushes the shop answers 429 to, so retries show up in the metrics. */
  shopRateLimitShare: number;
  /** Random seed; unset means a different run every time. */
  seed: number;
}

type Env = Record<string, string | undefined>;

function numberFrom(env: Env, name: string, fallback: number, check: (n: number) => boolean): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || !check(value)) throw new Error(`${name}=${raw} is not a valid value`);
  return value;
}

/**
 * The ERP file: DEMO_ERP_DB, which ../datong.yaml sets from the same expression
 * systems/erp.yaml uses; a relative path is taken from the workspace folder, as the hub's
 * `sqlite:` URLs are. Run standalone, the fallback is the repo's data/demo-erp.db.
 */
export function erpDbPath(env: Env, workspaceDir: string): string {
  return resolve(workspaceDir, env.DEMO_ERP_DB || '../../data/demo-erp.db');
}

export function loadConfig(env: Env, workspaceDir: string): SimulatorConfig {
  return {
    hubUrl: (env.DATONG_URL ?? 'http://127.0.0.1:7878').replace(/\/+$/, ''),
    shopHost: '127.0.0.1',
    shopPort: numberFrom(env, 'DEMO_SHOP_PORT', 7879, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    shopToken: env.DEMO_SHOP_TOKEN || 'demo-shop-token',
    webhookSecret: env.DEMO_SHOP_WEBHOOK_SECRET || 'demo-webhook-secret',
    erpDbPath: erpDbPath(env, workspaceDir),
    orderRate: numberFrom(env, 'DEMO_ORDER_RATE', 2, (n) => n >= 0 && n <= 1000),
    stockEverySeconds: numberFrom(env, 'DEMO_STOCK_EVERY_SECONDS', 3, (n) => n > 0),
    badShare: numberFrom(env, 'DEMO_BAD_SHARE', 0.02, (n) => n >= 0 && n <= 1),
    shopRateLimitShare: numberFrom(env, 'DEMO_SHOP_429_SHARE', 0.03, (n) => n >= 0 && n <= 1),
    seed: numberFrom(env, 'DEMO_SEED', Math.floor(Math.random() * 2 ** 31), Number.isInteger),
  };
}
