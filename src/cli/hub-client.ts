/**
 * The CLI's HTTP client for a running hub's `/api/v1`. The URL comes from `--url`, DATONG_URL
 * or http://127.0.0.1:7878; the token from `--token` or DATONG_TOKEN. An API error becomes a
 * {@link HubApiError} with the hub's code, message (in the caller's language) and details, so
 * the CLI prints `✖ message [DT_CODE]` and any findings like the hub reported them.
 */
import { DatongError } from '../errors/datong-error.ts';
import { isErrorCode } from '../errors/catalogue.ts';

export const DEFAULT_HUB_URL = 'http://127.0.0.1:7878';

export interface HubConnection {
  url?: string;
  token?: string;
}

/** An error the hub answered; its message is the hub's own text. */
export class HubApiError extends DatongError {
  constructor(
    readonly httpStatus: number,
    body: { code?: string; message?: string; details?: Record<string, unknown> },
  ) {
    const known = typeof body.code === 'string' && isErrorCode(body.code);
    super(known ? (body.code as never) : 'DT_RUNTIME_INTERNAL', {
      params: { reason: body.message ?? `HTTP ${httpStatus}` },
      details: body.details,
    });
    if (body.message) this.message = body.message;
  }
}

type Query = Record<string, string | number | boolean | undefined>;

export class HubClient {
  readonly url: string;
  readonly #token: string;
  readonly #locale: string;

  constructor(options: { url: string; token: string; locale?: string }) {
    this.url = options.url.replace(/\/+$/, '');
    this.#token = options.token;
    this.#locale = options.locale ?? 'en';
  }

  /** Reads the connection from options, then the environment. */
  static from(options: HubConnection, env: Record<string, string | undefined> = process.env): HubClient {
    const token = options.token || env.DATONG_TOKEN;
    if (!token) throw new DatongError('DT_CLI_NO_TOKEN');
    const locale = /^zh/i.test(env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '') ? 'zh-CN' : 'en';
    return new HubClient({ url: options.url || env.DATONG_URL || DEFAULT_HUB_URL, token, locale });
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body: body ?? {} });
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path, {});
  }

  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown }): Promise<T> {
    const target = new URL(`${this.url}/api/v1${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) target.searchParams.set(key, String(value));
    const headers: Record<string, string> = { authorization: `Bearer ${this.#token}`, 'accept-language': this.#locale };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(target, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new DatongError('DT_CLI_HUB_UNREACHABLE', { params: { url: this.url, reason: cause?.code ?? cause?.message ?? String(error) }, cause: error });
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) throw new HubApiError(response.status, (body as object | undefined) ?? { message: `HTTP ${response.status} ${text.slice(0, 200)}` });
    return body as T;
  }

  /** Every item of a paged list, following `nextCursor`. */
  async *pages<T>(path: string, query: Query = {}): AsyncGenerator<T[]> {
    let cursor: string | undefined;
    do {
      const page = await this.get<{ items: T[]; nextCursor: string | null }>(path, { ...query, cursor });
      yield page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}
