/**
 * The kill test's world: a workspace whose flow takes signed order webhooks, maps, validates and
 * upserts header + lines into a SQLite target file; that target with a write log kept by
 * triggers (so an upsert cannot hide a second write); and a seeded stream of deliveries.
 *
 * Write log: AFTER INSERT and AFTER UPDATE on `orders` and `order_lines` insert (key, version,
 * op) into `orders_writes` / `order_lines_writes`. The header has a version guard, so a row
 * there means the target really changed; two rows for one (key, version) mean a write happened
 * twice.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeWorkspace } from '../../support/workspace-folder.ts';
import type { Delivery } from './sender.ts';
import type { Random } from './random.ts';
import { subDir } from './temp-dir.ts';

export const ORDER_FLOW = 'shop-orders';

const TARGET_DDL = `
CREATE TABLE orders (order_no TEXT PRIMARY KEY, status TEXT NOT NULL, total TEXT NOT NULL, buyer TEXT, line_count INTEGER NOT NULL, version TEXT NOT NULL);
CREATE TABLE order_lines (order_no TEXT NOT NULL, line_no INTEGER NOT NULL, sku TEXT NOT NULL, qty INTEGER NOT NULL, version TEXT NOT NULL, PRIMARY KEY (order_no, line_no));
CREATE TABLE orders_writes (seq INTEGER PRIMARY KEY AUTOINCREMENT, order_no TEXT NOT NULL, version TEXT NOT NULL, op TEXT NOT NULL);
CREATE TABLE order_lines_writes (seq INTEGER PRIMARY KEY AUTOINCREMENT, order_no TEXT NOT NULL, line_no INTEGER NOT NULL, version TEXT NOT NULL, op TEXT NOT NULL);
CREATE TRIGGER orders_ai AFTER INSERT ON orders BEGIN INSERT INTO orders_writes (order_no, version, op) VALUES (NEW.order_no, NEW.version, 'insert'); END;
CREATE TRIGGER orders_au AFTER UPDATE ON orders BEGIN INSERT INTO orders_writes (order_no, version, op) VALUES (NEW.order_no, NEW.version, 'update'); END;
CREATE TRIGGER order_lines_ai AFTER INSERT ON order_lines BEGIN INSERT INTO order_lines_writes (order_no, line_no, version, op) VALUES (NEW.order_no, NEW.line_no, NEW.version, 'insert'); END;
CREATE TRIGGER order_lines_au AFTER UPDATE ON order_lines BEGIN INSERT INTO order_lines_writes (order_no, line_no, version, op) VALUES (NEW.order_no, NEW.line_no, NEW.version, 'update'); END;
`;

/** Creates the target file (tables + write-log triggers) and the workspace folder; returns both paths. */
export function orderWorld(dir: string, secret: string): { workspaceDir: string; targetPath: string } {
  const targetPath = join(dir, 'erp.db');
  const target = new Database(targetPath);
  target.exec(TARGET_DDL);
  target.close();
  const workspaceDir = writeWorkspace(
    {
      name: '订单压测',
      systems: {
        shop: { type: 'http', description: '网店', config: { baseUrl: 'http://127.0.0.1:9/unused' } },
        erp: { type: 'sql', description: 'ERP（SQLite 目标库）', config: { url: `sqlite:${targetPath}` } },
      },
      mappings: {
        'order-to-erp': {
          source: 'shop',
          target: 'erp',
          fields: {
            order_no: 'orderNo',
            status: { from: 'status', valueMap: { WAIT_SELLER_SEND_GOODS: 'paid', WAIT_BUYER_CONFIRM_GOODS: 'shipped', TRADE_FINISHED: 'closed' } },
            total: { from: 'totalFen', decimal: { divide: 100, scale: 2 } },
            buyer: { from: 'buyer.name', trim: true },
            line_count: { from: 'lineCount', cast: 'integer' },
            version: 'version',
            lines: { from: 'items', each: { fields: { line_no: { from: 'lineNo', cast: 'integer' }, sku: 'sku', qty: { from: 'qty', cast: 'integer' }, version: 'version' } } },
          },
        },
      },
      flows: {
        [ORDER_FLOW]: {
          description: '网店订单 → ERP 销售订单（头 + 行）',
          trigger: { type: 'webhook', system: 'shop', secrets: [secret], sourceId: 'orderNo', version: 'version' },
          retry: { maxAttempts: 20, initialDelayMs: 50, maxDelayMs: 1000 },
          steps: [
            { type: 'map', mapping: 'order-to-erp' },
            {
              type: 'validate',
              schema: { type: 'object', required: ['order_no', 'version', 'total', 'lines'], properties: { lines: { type: 'array', minItems: 1, maxItems: 3 } } },
            },
            {
              id: 'write-erp',
              type: 'write',
              system: 'erp',
              entity: 'sales-order',
              options: {
                table: 'orders',
                key: ['order_no'],
                version: 'version',
                children: [{ table: 'order_lines', from: 'lines', parentKey: { order_no: 'order_no' }, key: ['order_no', 'line_no'] }],
              },
            },
          ],
        },
      },
    },
    subDir(dir, 'workspace'),
  );
  return { workspaceDir, targetPath };
}

export interface SentOrder {
  orderNo: string;
  /** Zero-padded, so text order is numeric order (the SQL version guard compares text). */
  version: string;
  lines: { lineNo: number; sku: string; qty: number }[];
}

const BUYERS = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄强'];
const STATUSES = ['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED'];

/**
 * `count` deliveries: mostly new orders, some newer versions of earlier orders (1–3 lines
 * each, line sets change between versions), and a few exact re-sends of an earlier delivery
 * (same delivery id and body), which must be answered 202 without a second record.
 */
export function orderStream(random: Random, count: number): { deliveries: Delivery[]; sent: SentOrder[] } {
  const deliveries: Delivery[] = [];
  const sent: SentOrder[] = [];
  const versions = new Map<string, number>();
  const orderNos: string[] = [];
  while (deliveries.length < count) {
    const roll = random.next();
    if (roll < 0.01 && deliveries.length > 0) {
      deliveries.push(deliveries[random.int(Math.max(0, deliveries.length - 200), deliveries.length - 1)]);
      continue;
    }
    const orderNo = roll < 0.7 || orderNos.length === 0 ? `TB${String(orderNos.length + 1).padStart(7, '0')}` : random.pick(orderNos);
    if (!versions.has(orderNo)) orderNos.push(orderNo);
    const versionNo = (versions.get(orderNo) ?? 0) + 1;
    versions.set(orderNo, versionNo);
    const version = String(versionNo).padStart(6, '0');
    const lineCount = random.int(1, 3);
    const start = random.int(1, 2);
    const lines = Array.from({ length: lineCount }, (_, i) => ({ lineNo: start + i, sku: `SKU-${random.int(100, 999)}`, qty: random.int(1, 9) }));
    sent.push({ orderNo, version, lines });
    deliveries.push({
      id: `${orderNo}@${version}`,
      flow: ORDER_FLOW,
      body: {
        orderNo,
        version,
        status: random.pick(STATUSES),
        totalFen: lines.reduce((sum, line) => sum + line.qty * 1990, 0),
        buyer: { name: ` ${random.pick(BUYERS)} ` },
        lineCount,
        items: lines.map((line) => ({ ...line, version })),
      },
    });
  }
  return { deliveries, sent };
}
