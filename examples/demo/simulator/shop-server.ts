/**
 * The shop platform's open API, as far as the demo needs it:
 *   PUT  /api/stock/:sku   a stock level pushed by the hub (bearer token; Idempotency-Key honoured)
 *   GET  /api/stock        the levels the shop shows now
 *   GET  /api/stats        counts, for people and tests
 *   HEAD /                 reachability (the hub's connection check)
 * A repeated Idempotency-Key is answered like the first time, with `Idempotent-Replayed: true`,
 * and changes nothing. Now and then it answers 429 (as real platforms rate-limit) so the hub's
 * retries have something to do.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Random } from './random.ts';

export interface StockLevel {
  sku: string;
  quantity: number;
  location: string;
  updatedAt: string;
  receivedAt: string;
}

export interface ShopStats {
  stockPushes: number;
  applied: number;
  replayed: number;
  rateLimited: number;
  unauthorized: number;
  rejected: number;
  skus: number;
  lastPushAt: string | null;
}

export interface ShopServerOptions {
  host: string;
  port: number;
  token: string;
  random: Random;
  /** Share of pushes answered 429 (0 disables). */
  rateLimitShare: number;
  log?: (line: string) => void;
}

const REMEMBERED_KEYS = 10_000;
const MAX_BODY = 64 * 1024;

export class ShopServer {
  readonly stats: ShopStats = { stockPushes: 0, applied: 0, replayed: 0, rateLimited: 0, unauthorized: 0, rejected: 0, skus: 0, lastPushAt: null };
  private readonly stock = new Map<string, StockLevel>();
  private readonly answered = new Map<string, { status: number; body: string }>();
  private readonly server: Server;

  constructor(private readonly options: ShopServerOptions) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  level(sku: string): StockLevel | undefined {
    return this.stock.get(sku);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://shop');
    if (request.method === 'HEAD' || (request.method === 'GET' && url.pathname === '/')) return send(response, 200, { shop: 'datong demo shop' });
    if (request.method === 'GET' && url.pathname === '/api/stats') return send(response, 200, this.stats);
    if (!this.authorized(request)) {
      this.stats.unauthorized++;
      return send(response, 401, { error: 'invalid or missing bearer token' });
    }
    if (request.method === 'GET' && url.pathname === '/api/stock') return send(response, 200, [...this.stock.values()]);
    const match = /^\/api\/stock\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'PUT' && match) return this.putStock(decodeURIComponent(match[1]), request, response);
    return send(response, 404, { error: `no route ${request.method} ${url.pathname}` });
  }

  private authorized(request: IncomingMessage): boolean {
    return request.headers.authorization === `Bearer ${this.options.token}`;
  }

  private async putStock(sku: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    this.stats.stockPushes++;
    const key = header(request, 'idempotency-key');
    const earlier = key ? this.answered.get(key) : undefined;
    if (earlier) {
      this.stats.replayed++;
      response.setHeader('idempotent-replayed', 'true');
      return sendText(response, earlier.status, earlier.body);
    }
    if (this.options.rateLimitShare > 0 && this.options.random.chance(this.options.rateLimitShare)) {
      this.stats.rateLimited++;
      response.setHeader('retry-after', '1');
      return send(response, 429, { error: '请求过于频繁，请稍后再试 (rate limited)' });
    }
    let body: { sku?: unknown; quantity?: unknown; location?: unknown; updatedAt?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      this.stats.rejected++;
      return send(response, 400, { error: 'body is not JSON' });
    }
    if (body.sku !== sku || !Number.isInteger(body.quantity) || (body.quantity as number) < 0 || typeof body.location !== 'string') {
      this.stats.rejected++;
      return send(response, 422, { error: 'expected { sku (same as the path), quantity (integer ≥ 0), location, updatedAt }' });
    }
    const previous = this.stock.get(sku);
    const updatedAt = String(body.updatedAt ?? '');
    // An older level arriving late does not replace a newer one (same rule as the ERP's version guard).
    if (!previous || previous.updatedAt <= updatedAt) {
      this.stock.set(sku, { sku, quantity: body.quantity as number, location: body.location, updatedAt, receivedAt: new Date().toISOString() });
    }
    this.stats.applied++;
    this.stats.skus = this.stock.size;
    this.stats.lastPushAt = new Date().toISOString();
    const answer = JSON.stringify({ sku, quantity: this.stock.get(sku)!.quantity });
    if (key) this.remember(key, { status: 200, body: answer });
    this.options.log?.(`stock ${sku} → ${String(body.quantity)} (${body.location})`);
    return sendText(response, 200, answer);
  }

  private remember(key: string, answer: { status: number; body: string }): void {
    this.answered.set(key, answer);
    if (this.answered.size > REMEMBERED_KEYS) this.answered.delete(this.answered.keys().next().value!);
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  sendText(response, status, JSON.stringify(body));
}

function sendText(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(body);
}
