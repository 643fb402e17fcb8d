/**
 * A small JSON-over-HTTP client on an undici Pool. The pool (and undici itself) is created on the
 * first request, so building a connector does no I/O and loads no driver. Transport failures are
 * turned into DatongErrors here; HTTP statuses are left to the caller to classify.
 */
import type { Pool } from 'undici';
import { DatongError } from '../../errors/datong-error.ts';
import { authParts, type AuthParts } from './auth.ts';
import type { HttpAuth } from './spec.ts';

export interface HttpClientOptions {
  baseUrl: string;
  auth?: HttpAuth;
  timeoutMs: number;
  headers?: Record<string, string>;
  maxConnections: number;
  /** System id, for error messages. */
  systemId: string;
}

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';
  /** Path below the base URL's prefix, starting with `/`; may carry a query string. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Transport error codes (node and undici) that mean the request did not get an answer in time. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

export class HttpClient {
  readonly #options: HttpClientOptions;
  readonly #origin: string;
  readonly #prefix: string;
  readonly #auth: AuthParts;
  #pool: Promise<Pool> | undefined;

  constructor(options: HttpClientOptions) {
    this.#options = options;
    const url = new URL(options.baseUrl);
    this.#origin = url.origin;
    this.#prefix = url.pathname.replace(/\/+$/, '');
    this.#auth = authParts(options.auth);
  }

  /** Creates the pool if needed; does not connect (undici connects on the first request). */
  async ready(): Promise<void> {
    await this.#getPool();
  }

  /**
   * Sends one request and reads the whole response body. Rejects with the signal's reason when
   * `signal` fires, with DT_TARGET_TIMEOUT when no answer comes within `timeoutMs`, and with
   * DT_TARGET_UNAVAILABLE when the connection is refused, reset or lost.
   */
  async request(request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    signal.throwIfAborted();
    const pool = await this.#getPool();
    try {
      const response = await pool.request({
        method: request.method,
        path: this.#fullPath(request.path),
        headers: mergeHeaders(this.#options.headers, request.headers, this.#auth.headers),
        body: request.body,
        signal,
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
      });
      const body = await response.body.text();
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw this.#transportError(error);
    }
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    if (!pool) return;
    try {
      // destroy, not close: a hung target must not keep shutdown waiting.
      await (await pool).destroy();
    } catch {
      // Already broken or destroyed: nothing left to release.
    }
  }

  #getPool(): Promise<Pool> {
    this.#pool ??= import('undici').then(
      ({ Pool }) =>
        new Pool(this.#origin, {
          connections: this.#options.maxConnections,
          connect: { timeout: this.#options.timeoutMs },
          headersTimeout: this.#options.timeoutMs,
          bodyTimeout: this.#options.timeoutMs,
        }),
    );
    return this.#pool;
  }

  #fullPath(path: string): string {
    const full = this.#prefix + (path.startsWith('/') ? path : `/${path}`);
    const query = this.#auth.query;
    if (!query) return full;
    const separator = full.includes('?') ? '&' : '?';
    return `${full}${separator}${encodeURIComponent(query.name)}=${encodeURIComponent(query.value)}`;
  }

  #transportError(error: unknown): DatongError {
    const code = transportCode(error);
    const system = this.#options.systemId;
    if (code && TIMEOUT_CODES.has(code)) {
      return new DatongError('DT_TARGET_TIMEOUT', { params: { system, timeoutMs: this.#options.timeoutMs }, where: { system }, cause: error });
    }
    const reason = error instanceof Error && error.message ? error.message : String(code ?? error);
    if (code === 'UND_ERR_INVALID_ARG') {
      // The request could not even be built (a header value outside Latin-1, say): retrying cannot help.
      return new DatongError('DT_CONFIG_INVALID', { params: { reason: `http request to ${system} is invalid: ${reason}` }, where: { system }, cause: error });
    }
    return new DatongError('DT_TARGET_UNAVAILABLE', { params: { system, reason }, where: { system }, cause: error, details: code ? { code } : undefined });
  }
}

/** The code of a transport error; happy-eyeballs connects may report an AggregateError. */
function transportCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError) return transportCode(error.errors[0]);
  return undefined;
}

/** Later sources win; names are lower-cased so `Content-Type` and `content-type` cannot both be sent. */
function mergeHeaders(...sources: (Record<string, string> | undefined)[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const source of sources) {
    for (const [name, value] of Object.entries(source ?? {})) merged[name.toLowerCase()] = value;
  }
  return merged;
}
