/**
 * Sends the generator's orders to the hub at a steady rate. Deliveries run side by side, so a
 * slow or retried one does not hold back the clock; at most `maxInFlight` are open at once
 * (beyond that a tick is skipped rather than queued without bound).
 */
import type { OrderGenerator } from './orders.ts';
import { deliver, type SendResult } from './webhook-sender.ts';

export interface FeedCounts {
  sent: number;
  newOrders: number;
  updates: number;
  bad: number;
  accepted: number;
  duplicates: number;
  refused: number;
  retried: number;
  skipped: number;
}

export interface OrderFeedOptions {
  generator: OrderGenerator;
  url: string;
  secret: string;
  /** Deliveries per second. */
  rate: number;
  maxInFlight?: number;
  log: (line: string) => void;
}

export class OrderFeed {
  readonly counts: FeedCounts = { sent: 0, newOrders: 0, updates: 0, bad: 0, accepted: 0, duplicates: 0, refused: 0, retried: 0, skipped: 0 };
  private readonly abort = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private refusalsLogged = 0;

  constructor(private readonly options: OrderFeedOptions) {}

  start(): void {
    if (this.options.rate <= 0) return;
    this.timer = setInterval(() => this.tick(), 1000 / this.options.rate);
  }

  /** Stops the clock and waits for open deliveries to finish or give up. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private tick(): void {
    if (this.inFlight.size >= (this.options.maxInFlight ?? 50)) {
      this.counts.skipped++;
      return;
    }
    const delivery = this.options.generator.next();
    this.counts.sent++;
    if (delivery.kind === 'new') this.counts.newOrders++;
    else if (delivery.kind === 'update') this.counts.updates++;
    else this.counts.bad++;
    const running = deliver(delivery.order, { url: this.options.url, secret: this.options.secret, signal: this.abort.signal })
      .then((result) => this.record(result, delivery.order.orderNo))
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  private record(result: SendResult, orderNo: string): void {
    if (result.status === 'aborted') return;
    if (result.attempts > 1) this.counts.retried++;
    if (result.status === 'accepted') {
      this.counts.accepted++;
      if (result.duplicate) this.counts.duplicates++;
      return;
    }
    this.counts.refused++;
    // A refusal means the setup is wrong (e.g. another webhook secret); say so, but not 10 times a second.
    if (this.refusalsLogged++ < 5) this.options.log(`order ${orderNo} refused by the hub: HTTP ${result.httpStatus} ${result.body.slice(0, 300)}`);
  }
}
