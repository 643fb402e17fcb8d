/**
 * The demo's world outside the hub, run by `datong start` as a sidecar (see ../datong.yaml):
 *   - the ERP database (./data/demo-erp.db), with stock levels that change every few seconds;
 *   - the shop's API on 127.0.0.1:7879, which receives stock pushes;
 *   - the shop's order webhooks, sent to the hub at a steady rate.
 * It stops on SIGTERM/SIGINT, and on its own when the hub that started it is gone.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.ts';
import { ErpActivity } from './erp-activity.ts';
import { openErpDb } from './erp-db.ts';
import { OrderFeed } from './order-feed.ts';
import { OrderGenerator } from './orders.ts';
import { Random } from './random.ts';
import { ShopServer } from './shop-server.ts';
import { waitForHub } from './wait-for-hub.ts';

const SUMMARY_EVERY_MS = 15_000;
const log = (line: string) => process.stdout.write(`[demo-simulator] ${line}\n`);

const workspaceDir = fileURLToPath(new URL('..', import.meta.url));
const config = loadConfig(process.env, workspaceDir);
const erp = openErpDb(config.erpDbPath, new Random(config.seed));
const activity = new ErpActivity(erp, new Random(config.seed + 1));
const shop = new ShopServer({
  host: config.shopHost,
  port: config.shopPort,
  token: config.shopToken,
  random: new Random(config.seed + 2),
  rateLimitShare: config.shopRateLimitShare,
});
const feed = new OrderFeed({
  generator: new OrderGenerator({ random: new Random(config.seed + 3), badShare: config.badShare }),
  url: `${config.hubUrl}/hooks/shop-orders`,
  secret: config.webhookSecret,
  rate: config.orderRate,
  log,
});

let shopPort: number;
try {
  shopPort = await shop.listen();
} catch (error) {
  const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
  log(inUse ? `port ${config.shopPort} is taken (another demo running?); set DEMO_SHOP_PORT to use another one` : `shop API failed to start: ${String(error)}`);
  erp.close();
  process.exit(1);
}
log(`shop API on http://${config.shopHost}:${shopPort} · ERP database ${config.erpDbPath} · seed ${config.seed}`);

const stopping = new AbortController();
const stockTimer = setInterval(() => {
  try {
    activity.round();
  } catch (error) {
    log(`ERP stock change failed: ${String(error)}`);
  }
}, config.stockEverySeconds * 1000);
const summaryTimer = setInterval(() => {
  const c = feed.counts;
  const s = shop.stats;
  log(
    `orders sent ${c.sent} (new ${c.newOrders}, updates ${c.updates}, deliberately bad ${c.bad}; accepted ${c.accepted}, retried ${c.retried}, refused ${c.refused})` +
      ` · stock pushes received ${s.stockPushes} (applied ${s.applied}, replayed ${s.replayed}, answered 429 ${s.rateLimited})`,
  );
}, SUMMARY_EVERY_MS);
// When the hub dies without stopping us (kill -9), we are re-parented: leave too, leave no orphan.
const parent = process.ppid;
const orphanTimer = setInterval(() => process.ppid !== parent && void shutdown('parent gone'), 1000);

let down = false;
async function shutdown(reason: string): Promise<void> {
  if (down) return;
  down = true;
  stopping.abort();
  clearInterval(stockTimer);
  clearInterval(summaryTimer);
  clearInterval(orphanTimer);
  await feed.stop();
  await shop.close();
  erp.close();
  log(`stopped (${reason})`);
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));

if (await waitForHub(config.hubUrl, stopping.signal, log)) {
  log(`hub is up; sending ${config.orderRate} order webhook(s) per second to ${config.hubUrl}/hooks/shop-orders`);
  feed.start();
}
