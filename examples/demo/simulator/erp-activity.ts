/**
 * Life in the ERP between two stock pushes: goods go out, deliveries come in. Every round
 * changes a few stock rows and stamps them with a new `updated_at`, which is what the
 * `stock-push` flow's cursor notices.
 */
import { PRODUCTS } from './catalogue.ts';
import type { ErpDb } from './erp-db.ts';
import type { Random } from './random.ts';
import { erpTimestamp } from './shop-time.ts';

export interface StockRound {
  sku: string;
  qty: number;
}

export class ErpActivity {
  private lastStamp: number;

  constructor(
    private readonly db: ErpDb,
    private readonly random: Random,
  ) {
    // Continue after the newest stamp already there, even if this machine's clock is behind it.
    const newest = (db.prepare('SELECT MAX(updated_at) AS newest FROM stock').get() as { newest: string | null }).newest;
    this.lastStamp = newest ? Date.parse(newest) || 0 : 0;
  }

  /** Changes one to four stock levels in one transaction; returns the new levels. */
  round(now = Date.now()): StockRound[] {
    const count = this.random.int(1, 4);
    const skus = new Set<string>();
    while (skus.size < count) skus.add(this.random.pick(PRODUCTS).sku);
    const read = this.db.prepare('SELECT qty FROM stock WHERE sku = ?');
    const write = this.db.prepare('UPDATE stock SET qty = ?, updated_at = ? WHERE sku = ?');
    return this.db.transaction(() =>
      [...skus].map((sku) => {
        const current = (read.get(sku) as { qty: number } | undefined)?.qty ?? 0;
        // Mostly sales (a few out); a delivery from the supplier when stock runs low or by chance.
        const delta = current < 30 || this.random.chance(0.15) ? this.random.int(50, 300) : -this.random.int(1, 8);
        const qty = Math.max(0, current + delta);
        write.run(qty, this.stamp(now), sku);
        return { sku, qty };
      }),
    )();
  }

  /** Strictly increasing stamps, so a reader's cursor never sees a change land behind it. */
  private stamp(now: number): string {
    this.lastStamp = Math.max(now, this.lastStamp + 1);
    return erpTimestamp(this.lastStamp);
  }
}
