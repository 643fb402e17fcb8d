/**
 * The demo ERP: a SQLite file with the tables an ERP would have for sales orders and stock.
 * Created here if missing (the hub only writes into it); the stock table is seeded once.
 *
 * Money is TEXT holding a decimal string ("259.00"): SQLite has no exact decimal type, and
 * NUMERIC affinity would turn "259.00" into a float. Times are ISO 8601 text with +08:00.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PRODUCTS } from './catalogue.ts';
import type { Random } from './random.ts';
import { erpTimestamp } from './shop-time.ts';

export type ErpDb = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sales_order (
  order_no          TEXT PRIMARY KEY,             -- 订单号 (the shop's number)
  sales_channel     TEXT NOT NULL,                -- 销售渠道
  status            TEXT NOT NULL,                -- 待发货 / 已发货 / 已完成 / 已关闭
  customer_name     TEXT NOT NULL,                -- 客户姓名
  customer_nick     TEXT,                         -- 平台昵称
  customer_phone    TEXT,
  receiver_name     TEXT,                         -- 收货人
  receiver_phone    TEXT,
  province          TEXT,
  city              TEXT,
  district          TEXT,
  address           TEXT,
  zip               TEXT,
  goods_amount      TEXT NOT NULL,                -- 商品金额 (元)
  freight_amount    TEXT NOT NULL,                -- 运费
  discount_amount   TEXT NOT NULL,                -- 优惠
  total_amount      TEXT NOT NULL,                -- 实付金额
  ordered_at        TEXT NOT NULL,                -- 下单时间
  paid_at           TEXT,                         -- 付款时间
  shipped_at        TEXT,                         -- 发货时间
  logistics_company TEXT,
  tracking_no       TEXT,
  remark            TEXT,                         -- 买家留言
  source_updated_at TEXT NOT NULL,                -- the shop's version: an older one never overwrites a newer one
  erp_created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+08:00', 'now', '+8 hours'))
);
CREATE TABLE IF NOT EXISTS sales_order_line (
  order_no     TEXT NOT NULL REFERENCES sales_order(order_no) ON DELETE CASCADE,
  line_no      INTEGER NOT NULL,
  sku          TEXT NOT NULL,
  product_name TEXT NOT NULL,
  qty          INTEGER NOT NULL CHECK (qty > 0),
  unit_price   TEXT NOT NULL,
  line_amount  TEXT NOT NULL,
  PRIMARY KEY (order_no, line_no)
);
CREATE TABLE IF NOT EXISTS stock (
  sku          TEXT PRIMARY KEY,                 -- 物料编码
  product_name TEXT NOT NULL,                    -- 物料名称
  qty          INTEGER NOT NULL,                 -- 可用库存
  warehouse    TEXT NOT NULL,                    -- 仓库
  updated_at   TEXT NOT NULL                     -- ISO 8601 +08:00; the stock-push flow reads rows changed after its cursor
);
CREATE INDEX IF NOT EXISTS stock_updated ON stock (updated_at, sku);
`;

/** Opens (creating if needed) the ERP database and seeds the stock table on first use. */
export function openErpDb(path: string, random: Random): ErpDb {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.exec(SCHEMA);
  const seeded = (db.prepare('SELECT COUNT(*) AS n FROM stock').get() as { n: number }).n > 0;
  if (!seeded) {
    const insert = db.prepare('INSERT INTO stock (sku, product_name, qty, warehouse, updated_at) VALUES (?, ?, ?, ?, ?)');
    const now = Date.now();
    db.transaction(() => {
      PRODUCTS.forEach((product, index) => insert.run(product.sku, product.name, random.int(20, 500), product.warehouse, erpTimestamp(now + index)));
    })();
  }
  return db;
}
