/**
 * The end-to-end benchmark's workspace: signed webhook → map (the fixture's 15-field
 * ORDER_MAPPING, plus `sent_at` carried through) → validate (JSON Schema) → upsert into a
 * SQLite target table. The target table stamps `written_at` (epoch ms) when a row is written,
 * so latency is `written_at - sent_at`, both read from the wall clock of the same machine.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { writeWorkspace } from '../test/support/workspace-folder.ts';
import { ORDER_MAPPING } from './fixtures/order-fixture.ts';

export const BENCH_SECRET = 'bench-webhook-secret';
export const BENCH_FLOW = 'orders';
export const TARGET_TABLE = 'sales_order';

/** What the validate step checks: the mapped order's required fields and their formats. */
export const ORDER_SCHEMA = {
  type: 'object',
  required: ['orderNo', 'createdAt', 'totalAmount', 'status', 'buyer', 'address', 'sent_at'],
  properties: {
    orderNo: { type: 'string', minLength: 1 },
    createdAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T' },
    totalAmount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' },
    freightAmount: { type: 'string', pattern: '^[0-9]+\\.[0-9]{2}$' },
    status: { enum: ['pending', 'paid', 'shipped', 'completed', 'cancelled'] },
    buyer: { type: 'object', required: ['phone'], properties: { phone: { type: 'string', pattern: '^1[0-9]{10}$' } } },
    address: { type: 'object', required: ['province', 'city'] },
    lineCount: { type: 'integer', minimum: 1 },
    needInvoice: { type: 'boolean' },
    sent_at: { type: 'number' },
  },
};

/** Creates the target database (WAL, as an ERP database on SQLite would run) with its table. */
export function createTarget(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE ${TARGET_TABLE} (
    orderNo TEXT PRIMARY KEY, createdAt TEXT, paidAt TEXT, totalAmount TEXT, freightAmount TEXT, status TEXT,
    buyer TEXT, address TEXT, lineCount INTEGER, weightKg TEXT, needInvoice INTEGER, remark TEXT,
    sent_at REAL NOT NULL,
    written_at REAL NOT NULL DEFAULT (unixepoch('subsec') * 1000))`);
  db.exec(`CREATE INDEX ${TARGET_TABLE}_written ON ${TARGET_TABLE} (written_at)`);
  db.close();
}

/** Writes the workspace folder; returns its path. */
export function benchWorkspace(targetPath: string): string {
  return writeWorkspace({
    name: 'bench',
    systems: {
      // The sender of the webhooks; never called.
      shop: { type: 'http', timezone: 'Asia/Shanghai', config: { baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000 } },
      erp: { type: 'sql', config: { url: `sqlite:${targetPath}` } },
    },
    mappings: { order: { ...ORDER_MAPPING, fields: { ...ORDER_MAPPING.fields, sent_at: { from: 'sent_at', required: true } } } },
    flows: {
      [BENCH_FLOW]: {
        trigger: { type: 'webhook', system: 'shop', secrets: [BENCH_SECRET], sourceId: 'tid' },
        steps: [
          { type: 'map', mapping: 'order' },
          { type: 'validate', schema: ORDER_SCHEMA },
          { id: 'write-erp', type: 'write', system: 'erp', options: { table: TARGET_TABLE, key: ['orderNo'] } },
        ],
      },
    },
  });
}

export function targetPathIn(dir: string): string {
  return join(dir, 'erp.db');
}
