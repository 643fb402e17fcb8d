/**
 * The HTTP target. One request per item by default (sent concurrently, at most `maxConnections`
 * at once), or array batches when the write options ask for them. Every request carries the
 * item's `Idempotency-Key` so a retry after a lost answer is recognisable by the target.
 *
 * After a failure that says the target as a whole is struggling (rate limited, 503, unreachable,
 * timed out), items not yet sent are not sent: they get the same retryable failure, marked
 * `details.notSent`, so a batch does not hammer a target that is already refusing.
 */
import { DatongError, toDatongError } from '../../errors/datong-error.ts';
import type { CheckResult, Connector, ConnectorContext, WriteItem, WriteOutcome, WriteRequest } from '../../sdk/connector.ts';
import type { Logger } from '../../sdk/logger.ts';
import { redact, secretStrings } from './auth.ts';
import { batchIdempotencyKey, batchOutcomes } from './batch.ts';
import { classifyResponse } from './classify.ts';
import { HttpClient, type HttpResponse } from './client.ts';
import { fillPath, placeholders } from './path-template.ts';
import type { HttpConfig, HttpWriteOptions } from './spec.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CONNECTIONS = 10;

export class HttpSink implements Connector {
  readonly #client: HttpClient;
  readonly #system: string;
  readonly #secrets: string[];
  readonly #logger: Logger;
  readonly #concurrency: number;

  constructor(config: HttpConfig, context: ConnectorContext) {
    const maxConnections = config.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    this.#system = context.systemId;
    this.#secrets = secretStrings(config.auth);
    this.#logger = context.logger.child({ connector: 'http', system: context.systemId });
    this.#concurrency = maxConnections;
    this.#client = new HttpClient({
      baseUrl: config.baseUrl,
      auth: config.auth,
      timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      headers: config.headers,
      maxConnections,
      systemId: context.systemId,
    });
  }

  async open(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await this.#client.ready();
  }

  async close(): Promise<void> {
    await this.#client.close();
  }

  /** HEAD on the base URL: any HTTP answer means reachable; 401/403 means the credentials were refused. */
  async check(signal: AbortSignal): Promise<CheckResult> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      const response = await this.#client.request({ method: 'HEAD', path: '/' }, signal);
      if (response.status === 401 || response.status === 403) {
        return { ok: false, message: `Reachable, but the credentials were refused (HTTP ${response.status})`, latencyMs: latency() };
      }
      return { ok: true, message: `Reachable (HTTP ${response.status})`, latencyMs: latency() };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return { ok: false, message: redact(toDatongError(error).message, this.#secrets), latencyMs: latency() };
    }
  }

  async write(request: WriteRequest, signal: AbortSignal): Promise<WriteOutcome[]> {
    signal.throwIfAborted();
    const options = writeOptions(request.options);
    const items = request.items;
    if (items.length === 0) return [];
    if (options.batch) return this.#writeBatches(items, options, options.batch.maxItems, signal);
    const outcomes: WriteOutcome[] = new Array(items.length);
    let halt: DatongError | undefined;
    await runLimited(items.length, this.#concurrency, signal, async (index) => {
      const item = items[index];
      if (halt) {
        outcomes[index] = { status: 'failed', error: notSent(halt, item.recordId) };
        return;
      }
      const outcome = await this.#writeOne(item, options, signal);
      if (outcome.status === 'failed' && haltsBatch(outcome.error)) halt ??= outcome.error;
      outcomes[index] = outcome;
    });
    return outcomes;
  }

  async #writeOne(item: WriteItem, options: ResolvedWriteOptions, signal: AbortSignal): Promise<WriteOutcome> {
    const where = { system: this.#system, recordId: item.recordId };
    const filled = fillPath(options.path, item.data);
    if (!filled.ok) {
      return { status: 'failed', error: new DatongError('DT_MAP_REQUIRED', { params: { field: filled.missing, path: options.path }, where }) };
    }
    const body = serialise(item.data, this.#system, item.recordId);
    if (body instanceof DatongError) return { status: 'failed', error: body };
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': headerValue(item.idempotencyKey) };
    if (item.version) headers['x-datong-version'] = headerValue(item.version);
    const response = await this.#send({ method: options.method, path: filled.path, headers, body }, signal, item.recordId);
    if (response instanceof DatongError) return { status: 'failed', error: response.at(where) };
    return classifyResponse(response, { system: this.#system, recordId: item.recordId, secrets: this.#secrets });
  }

  async #writeBatches(items: WriteItem[], options: ResolvedWriteOptions, maxItems: number, signal: AbortSignal): Promise<WriteOutcome[]> {
    const fields = placeholders(options.path);
    if (fields.length > 0) {
      throw new DatongError('DT_CONFIG_INVALID', {
        params: { reason: `http write path "${options.path}" has placeholders (${fields.join(', ')}), which batch mode cannot fill` },
        where: { system: this.#system },
      });
    }
    const chunks: WriteItem[][] = [];
    for (let start = 0; start < items.length; start += maxItems) chunks.push(items.slice(start, start + maxItems));
    const results: WriteOutcome[][] = new Array(chunks.length);
    let halt: DatongError | undefined;
    await runLimited(chunks.length, this.#concurrency, signal, async (index) => {
      const chunk = chunks[index];
      if (halt) {
        results[index] = chunk.map((item) => ({ status: 'failed', error: notSent(halt!, item.recordId) }));
        return;
      }
      results[index] = await this.#writeChunk(chunk, options, signal);
      const failure = results[index].find((outcome) => outcome.status === 'failed');
      if (failure?.status === 'failed' && haltsBatch(failure.error)) halt ??= failure.error;
    });
    return results.flat();
  }

  async #writeChunk(chunk: WriteItem[], options: ResolvedWriteOptions, signal: AbortSignal): Promise<WriteOutcome[]> {
    const body = serialise(chunk.map((item) => item.data), this.#system, chunk[0].recordId);
    if (body instanceof DatongError) return chunk.map(() => ({ status: 'failed', error: body }));
    const headers = { 'content-type': 'application/json', 'idempotency-key': batchIdempotencyKey(chunk) };
    const response = await this.#send({ method: options.method, path: options.path, headers, body }, signal, chunk[0].recordId);
    if (response instanceof DatongError) return chunk.map((item) => ({ status: 'failed', error: forItem(response, item.recordId) }));
    if (response.status >= 200 && response.status < 300) {
      const replayed = response.headers['idempotent-replayed'] === 'true';
      return batchOutcomes(chunk, { body: response.body, replayed }, { system: this.#system, secrets: this.#secrets });
    }
    return chunk.map((item) => classifyResponse(response, { system: this.#system, recordId: item.recordId, secrets: this.#secrets }));
  }

  /** One request; transport failures come back as a DatongError value, an abort rejects. */
  async #send(
    request: { method: ResolvedWriteOptions['method']; path: string; headers: Record<string, string>; body: string },
    signal: AbortSignal,
    recordId: string,
  ): Promise<HttpResponse | DatongError> {
    const started = performance.now();
    // The logged path is the filled template only: auth query parameters are added later, in the client.
    const log = { method: request.method, path: request.path, recordId };
    try {
      const response = await this.#client.request(request, signal);
      const ms = Math.round(performance.now() - started);
      if (response.status >= 400) this.#logger.warn({ ...log, status: response.status, ms }, 'http write answered with an error status');
      else this.#logger.debug({ ...log, status: response.status, ms }, 'http write');
      return response;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const failure = toDatongError(error, { system: this.#system });
      this.#logger.warn({ ...log, code: failure.code, reason: redact(failure.message, this.#secrets) }, 'http write failed');
      return failure;
    }
  }
}

interface ResolvedWriteOptions {
  method: 'POST' | 'PUT' | 'PATCH';
  path: string;
  batch?: { maxItems: number };
}

function writeOptions(options: Record<string, unknown>): ResolvedWriteOptions {
  const raw = options as Partial<HttpWriteOptions>;
  if (typeof raw.path !== 'string') {
    throw new DatongError('DT_CONFIG_INVALID', { params: { reason: 'http write options need a "path"' } });
  }
  return { method: raw.method ?? 'POST', path: raw.path, batch: raw.batch };
}

function serialise(data: unknown, system: string, recordId: string): string | DatongError {
  try {
    return JSON.stringify(data) ?? 'null';
  } catch (error) {
    return new DatongError('DT_TARGET_REJECTED', {
      params: { system, reason: 'the record cannot be serialised as JSON' },
      where: { system, recordId },
      cause: error,
    });
  }
}

/**
 * Header values must be Latin-1, but keys and versions derive from source ids such as 客户/001:
 * a value of visible ASCII only is sent as it is, any other is sent percent-encoded
 * (encodeURIComponent), which is stable across retries and reversible by the target.
 */
export function headerValue(value: string): string {
  return /^[\x21-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/** Failures that say the target as a whole is refusing work right now. */
function haltsBatch(error: DatongError): boolean {
  if (!error.retryable) return false;
  if (error.code === 'DT_TARGET_SERVER_ERROR') return error.params.status === 503;
  return error.code === 'DT_TARGET_RATE_LIMITED' || error.code === 'DT_TARGET_UNAVAILABLE' || error.code === 'DT_TARGET_TIMEOUT';
}

function forItem(error: DatongError, recordId: string, extraDetails?: Record<string, unknown>): DatongError {
  return new DatongError(error.code, {
    params: error.params,
    where: { ...error.where, recordId },
    cause: error.cause,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    details: extraDetails ? { ...error.details, ...extraDetails } : error.details,
  });
}

function notSent(error: DatongError, recordId: string): DatongError {
  return forItem(error, recordId, { notSent: true });
}

/** Runs `task(0..count-1)` with at most `limit` in flight; rejects (with the signal's reason) once `signal` fires. */
async function runLimited(count: number, limit: number, signal: AbortSignal, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      signal.throwIfAborted();
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  signal.throwIfAborted();
}
