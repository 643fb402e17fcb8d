/**
 * A real HTTP target for tests, fault tests and the demo: a node:http server on 127.0.0.1 that
 * stores JSON records (see {@link WitnessStore} for the idempotency and version rules), logs every
 * raw delivery, checks the configured credentials, and misbehaves on request.
 *
 * ```ts
 * const server = await WitnessServer.start({ auth: { type: 'bearer', token: 't0ken' } });
 * server.loseResponse(1);            // the next write is applied, then its connection is cut
 * // … point an http connector at server.url …
 * server.stored();                   // Map { 'C001' => '2026-11-20T09:00:00+08:00' }
 * await server.close();
 * ```
 *
 * Requests: POST/PUT/PATCH on any path write the JSON body (an object, or an array of objects);
 * GET/HEAD on any path answer 200 `{ ok: true }`; all of them need the configured auth (401
 * otherwise). Faults are consumed by the next requests in arrival order, checked in this order:
 * rate limit, injected failure status, hang; a lost response applies the write first.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { HttpAuth } from '../spec.ts';
import { type Delivery, type RecordValidator, type StoredRecord, WitnessStore } from './witness-store.ts';

export type { Delivery, RecordValidator, StoredRecord } from './witness-store.ts';

export interface WitnessServerOptions {
  /** Credentials every request must carry (default: none). */
  auth?: HttpAuth;
  /** Refuses records with 422 when it returns a reason (default: an `id` is required). */
  validate?: RecordValidator;
  /** Port to listen on (default: a free one). */
  port?: number;
}

interface Failure {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export class WitnessServer {
  readonly #store: WitnessStore;
  readonly #auth: HttpAuth | undefined;
  readonly #server: http.Server;
  readonly #sockets = new Set<Socket>();
  /** Hung requests still waiting: their timer and how to drop them. */
  readonly #sleeping = new Map<NodeJS.Timeout, () => void>();
  #port: number;
  #listening = false;
  #failures: Failure[] = [];
  #hangs: number[] = [];
  #lose = 0;

  private constructor(options: WitnessServerOptions) {
    this.#store = new WitnessStore(options.validate);
    this.#auth = options.auth;
    this.#port = options.port ?? 0;
    this.#server = http.createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => send(response, 500, { error: String(error) }));
    });
    this.#server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
  }

  /** Starts listening on 127.0.0.1 and resolves once it accepts connections. */
  static async start(options: WitnessServerOptions = {}): Promise<WitnessServer> {
    const server = new WitnessServer(options);
    await server.up();
    return server;
  }

  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  /** Every raw write received so far, in arrival order (a copy). */
  get deliveries(): Delivery[] {
    return [...this.#store.deliveries];
  }

  /** The records the target holds now, by id. */
  get records(): ReadonlyMap<string, StoredRecord> {
    return this.#store.records;
  }

  /** Entity id → stored version. */
  stored(): Map<string, string | undefined> {
    return this.#store.stored();
  }

  /** The next `count` requests answer 500. */
  fail500(count = 1): void {
    this.fail(500, count);
  }

  /** The next `count` requests answer `status` with the given body (JSON) and headers, without being applied. */
  fail(status: number, count = 1, answer: { body?: unknown; headers?: Record<string, string> } = {}): void {
    const body = answer.body ?? { error: http.STATUS_CODES[status] ?? 'injected failure' };
    for (let i = 0; i < count; i++) this.#failures.push({ status, headers: answer.headers ?? {}, body });
  }

  /** The next `count` requests answer 429 with `Retry-After: <retryAfterSeconds>`. */
  rateLimit(count: number, retryAfterSeconds: number): void {
    this.fail(429, count, { headers: { 'retry-after': String(retryAfterSeconds) }, body: { error: 'too many requests' } });
  }

  /**
   * The next `count` requests wait `ms` before they are processed. The write is applied after the
   * wait even if the client has given up meanwhile, as a slow real server would; `reset()` or
   * `down()` during the wait drops the request unanswered and unapplied.
   */
  hang(ms: number, count = 1): void {
    for (let i = 0; i < count; i++) this.#hangs.push(ms);
  }

  /** The next `count` writes are applied, then their connection is destroyed instead of answered. */
  loseResponse(count = 1): void {
    this.#lose += count;
  }

  /** Drops pending faults. */
  clearFaults(): void {
    this.#failures = [];
    this.#hangs = [];
    this.#lose = 0;
  }

  /** Forgets records, deliveries, idempotency answers and faults; requests still hanging are dropped unanswered. */
  reset(): void {
    this.#dropSleeping();
    this.#store.reset();
    this.clearFaults();
  }

  /** Resolves once at least `count` deliveries were logged (rejects after `timeoutMs`). */
  async waitForDeliveries(count: number, timeoutMs = 5_000): Promise<Delivery[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.#store.deliveries.length < count) {
      if (Date.now() > deadline) throw new Error(`witness server: ${this.#store.deliveries.length} of ${count} deliveries after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return this.deliveries;
  }

  /** Stops listening and cuts every open connection: clients see refused connections until `up()`. */
  async down(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    this.#dropSleeping();
    await closed;
  }

  /** Listens again, on the same port as before. */
  async up(): Promise<void> {
    if (this.#listening) return;
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    this.#listening = true;
  }

  async close(): Promise<void> {
    this.clearFaults();
    await this.down();
  }

  async #handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const text = await readBody(request);
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://witness');
    const isWrite = method === 'POST' || method === 'PUT' || method === 'PATCH';
    let body: unknown;
    if (isWrite) {
      try {
        body = JSON.parse(text);
      } catch {
        return send(response, 400, { error: 'the body is not JSON' });
      }
    }
    const write = { method, path: url.pathname, idempotencyKey: header(request, 'idempotency-key'), version: header(request, 'x-datong-version'), body };
    if (!this.#authorised(request, url)) {
      if (isWrite) this.#store.logUnprocessed(write, 'unauthorized', 401);
      return send(response, 401, { error: 'unauthorized' }, { 'www-authenticate': 'Basic realm="witness", Bearer' });
    }
    const failure = this.#failures.shift();
    if (failure) {
      if (isWrite) this.#store.logUnprocessed(write, 'fault', failure.status);
      return send(response, failure.status, failure.body, failure.headers);
    }
    const hangMs = this.#hangs.shift();
    if (hangMs !== undefined) {
      const waited = await this.#sleep(hangMs);
      if (!waited) {
        request.socket.destroy();
        return;
      }
    }
    if (!isWrite) return send(response, method === 'HEAD' || method === 'GET' ? 200 : 405, { ok: method === 'HEAD' || method === 'GET' });
    const { answer, entries } = this.#store.write(write);
    if (this.#lose > 0) {
      this.#lose--;
      for (const entry of entries) entry.lost = true;
      request.socket.destroy();
      return;
    }
    send(response, answer.status, answer.body, answer.replayed ? { 'idempotent-replayed': 'true' } : {});
  }

  #authorised(request: http.IncomingMessage, url: URL): boolean {
    const auth = this.#auth;
    switch (auth?.type) {
      case undefined:
      case 'none':
        return true;
      case 'basic':
        return request.headers.authorization === `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
      case 'bearer':
        return request.headers.authorization === `Bearer ${auth.token}`;
      case 'api-key':
        return auth.in === 'header' ? header(request, auth.name.toLowerCase()) === auth.value : url.searchParams.get(auth.name) === auth.value;
    }
  }

  /** Resolves true after `ms`, or false if the server was reset or went down meanwhile. */
  #sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#sleeping.delete(timer);
        resolve(this.#listening);
      }, ms);
      this.#sleeping.set(timer, () => resolve(false));
    });
  }

  #dropSleeping(): void {
    for (const [timer, drop] of this.#sleeping) {
      clearTimeout(timer);
      drop();
    }
    this.#sleeping.clear();
  }
}

function header(request: http.IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    // An aborted request still resolves: whatever arrived is ignored by the caller's failed reply.
    request.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.destroyed || response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}
