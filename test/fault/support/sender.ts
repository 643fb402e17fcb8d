/**
 * A webhook sender that behaves as a careful real one: signs every attempt, and on a connection
 * error, a timeout, 429 or 5xx retries the SAME delivery id (re-signed with a fresh timestamp)
 * until it gets 202. It records which deliveries were acknowledged, and how many requests are
 * in flight at any moment (a kill while requests are in flight is a kill with commits pending).
 *
 * ```ts
 * const sender = new SignedSender({ baseUrl: () => hub.url, secret, concurrency: 50 });
 * const report = await sender.sendAll(deliveries);   // every delivery got 202 (or this throws)
 * sender.acked.get('TB0001:000002');                  // { recordId, duplicate, attempts }
 * await sender.close();
 * ```
 */
import { Agent, request } from 'undici';
import { signedHeaders } from '../../../src/triggers/webhook/signature.ts';

export interface Delivery {
  /** X-Datong-Delivery-Id; the same on every attempt. */
  id: string;
  flow: string;
  body: unknown;
}

export interface Ack {
  recordId: string;
  duplicate: boolean;
  /** Requests it took (1 = first try). */
  attempts: number;
}

export interface SenderOptions {
  /** Read on every attempt, so a restarted hub on another address is followed. */
  baseUrl: () => string;
  secret: string;
  concurrency: number;
  /** Back-off between attempts of one delivery (default 20–250 ms, growing). */
  retryDelayMs?: { min: number; max: number };
  /** Per request (default 30 s). */
  requestTimeoutMs?: number;
  /** One delivery gives up (and `sendAll` rejects) after this long (default 5 min). */
  giveUpAfterMs?: number;
  /** Holds delivery number `index` (0-based, in list order) back until it may go. */
  gate?: DeliveryGate;
}

/**
 * Lets a test pace a stream: deliveries past `limit` wait until the limit is raised, so a
 * long stream keeps going across many kills instead of finishing before them.
 */
export class DeliveryGate {
  #limit: number;
  #waiters: { index: number; go: () => void }[] = [];

  constructor(limit = 0) {
    this.#limit = limit;
  }

  get limit(): number {
    return this.#limit;
  }

  /** Lets deliveries with index < `limit` go. */
  open(limit: number): void {
    this.#limit = Math.max(this.#limit, limit);
    const ready = this.#waiters.filter((waiter) => waiter.index < this.#limit);
    this.#waiters = this.#waiters.filter((waiter) => waiter.index >= this.#limit);
    for (const waiter of ready) waiter.go();
  }

  /** Resolves when delivery `index` may go (undefined: it may go now). */
  wait(index: number): Promise<void> | undefined {
    if (index < this.#limit) return undefined;
    return new Promise((go) => this.#waiters.push({ index, go }));
  }
}

export interface SendReport {
  deliveries: number;
  requests: number;
  retries: number;
  /** Attempts that failed by status (5xx, 429) or transport error, by cause. */
  failures: Record<string, number>;
  ms: number;
}

export class SignedSender {
  readonly acked = new Map<string, Ack>();
  #inFlight = 0;
  #requests = 0;
  #completed = 0;
  readonly #failures: Record<string, number> = {};
  readonly #agent: Agent;
  #closed = false;

  constructor(private readonly options: SenderOptions) {
    this.#agent = new Agent({ connections: options.concurrency + 8, keepAliveTimeout: 4_000, connect: { timeout: 5_000 } });
  }

  /** Requests sent and not yet answered (or failed) right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  get requests(): number {
    return this.#requests;
  }

  /** Deliveries acknowledged so far, counting exact re-sends of one delivery id each time. */
  get completed(): number {
    return this.#completed;
  }

  /** Sends every delivery, `concurrency` at a time, each until 202. Rejects on a non-retryable answer. */
  async sendAll(deliveries: readonly Delivery[]): Promise<SendReport> {
    const started = Date.now();
    const before = this.#requests;
    let next = 0;
    const lane = async () => {
      while (next < deliveries.length) {
        const index = next++;
        await this.options.gate?.wait(index);
        await this.send(deliveries[index]);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, deliveries.length) }, lane));
    const requests = this.#requests - before;
    return { deliveries: deliveries.length, requests, retries: requests - deliveries.length, failures: { ...this.#failures }, ms: Date.now() - started };
  }

  /** One delivery, retried until 202. */
  async send(delivery: Delivery): Promise<Ack> {
    const raw = JSON.stringify(delivery.body);
    const { min, max } = this.options.retryDelayMs ?? { min: 20, max: 250 };
    const deadline = Date.now() + (this.options.giveUpAfterMs ?? 300_000);
    for (let attempt = 1; ; attempt++) {
      if (this.#closed) throw new Error(`sender closed before delivery ${delivery.id} was acknowledged`);
      const outcome = await this.#attempt(delivery, raw);
      if (outcome.kind === 'ack') {
        const ack = { ...outcome.ack, attempts: attempt };
        this.acked.set(delivery.id, ack);
        this.#completed++;
        return ack;
      }
      if (outcome.kind === 'refused') throw new Error(`delivery ${delivery.id} refused: HTTP ${outcome.status} ${outcome.body}`);
      this.#failures[outcome.cause] = (this.#failures[outcome.cause] ?? 0) + 1;
      if (Date.now() > deadline) throw new Error(`delivery ${delivery.id} not acknowledged after ${attempt} attempts (last: ${outcome.cause})`);
      const delay = Math.min(max, min * 2 ** Math.min(attempt - 1, 6));
      await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * (delay / 2)));
    }
  }

  /** Stops: pending deliveries give up (sendAll rejects), open connections are closed. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#agent.destroy();
  }

  async #attempt(
    delivery: Delivery,
    raw: string,
  ): Promise<{ kind: 'ack'; ack: Omit<Ack, 'attempts'> } | { kind: 'retry'; cause: string } | { kind: 'refused'; status: number; body: string }> {
    this.#inFlight++;
    this.#requests++;
    try {
      const timeout = this.options.requestTimeoutMs ?? 30_000;
      const response = await request(`${this.options.baseUrl()}/hooks/${delivery.flow}`, {
        method: 'POST',
        body: raw,
        headers: signedHeaders(this.options.secret, raw, delivery.id),
        dispatcher: this.#agent,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const text = await response.body.text();
      if (response.statusCode === 202) {
        const parsed = JSON.parse(text) as { recordId: string; duplicate: boolean };
        return { kind: 'ack', ack: { recordId: parsed.recordId, duplicate: parsed.duplicate } };
      }
      if (response.statusCode === 429 || response.statusCode >= 500) return { kind: 'retry', cause: `HTTP ${response.statusCode}` };
      return { kind: 'refused', status: response.statusCode, body: text };
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name;
      return { kind: 'retry', cause: code };
    } finally {
      this.#inFlight--;
    }
  }
}
