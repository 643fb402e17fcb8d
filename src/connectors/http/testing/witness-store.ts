/**
 * The state behind the witness server, with no I/O: stored records with a version guard,
 * Stripe-like idempotency, and the raw delivery log.
 *
 * Idempotency is scoped to the pair (Idempotency-Key, version): the engine keeps one key per
 * source record across its versions, so a repeat of the same key *and* version replays the first
 * answer without applying anything, while the same key with a new version is an update (checked
 * by the version guard). A record whose version is older than the stored one is refused with
 * 409 "stale"; the same version again under another key is refused with 409 "duplicate".
 */

/** One raw write as the target saw it: one entry per record (an array body gives several). */
export interface Delivery {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  method: string;
  path: string;
  /** The record's `id` from the body, if it had one. */
  id?: string;
  idempotencyKey?: string;
  version?: string;
  /** What the target did with it. */
  result: 'applied' | 'replayed' | 'stale' | 'duplicate' | 'rejected' | 'unauthorized' | 'fault';
  /** Status answered (or that would have been, when the answer was lost). */
  status: number;
  /** True when the connection was destroyed instead of answering (loseResponse). */
  lost?: boolean;
}

export interface StoredRecord {
  id: string;
  version?: string;
  data: unknown;
  /** Idempotency key of the write that stored this version. */
  idempotencyKey?: string;
  /** How many times a write changed this record. */
  writes: number;
}

export interface WitnessAnswer {
  status: number;
  body: unknown;
  replayed?: boolean;
}

/** Returns why a record is refused (answered 422), or undefined to accept it. */
export type RecordValidator = (record: Record<string, unknown>) => string | undefined;

export const requireId: RecordValidator = (record) =>
  typeof record.id === 'string' || typeof record.id === 'number' ? undefined : 'field "id" is required';

interface WriteRequest {
  method: string;
  path: string;
  idempotencyKey?: string;
  /** X-Datong-Version; wins over a body's `version` field (array elements use their own field). */
  version?: string;
  body: unknown;
}

export class WitnessStore {
  readonly records = new Map<string, StoredRecord>();
  readonly deliveries: Delivery[] = [];
  readonly #answers = new Map<string, WitnessAnswer>();
  readonly #validate: RecordValidator;

  constructor(validate: RecordValidator = requireId) {
    this.#validate = validate;
  }

  /** Logs a request that never reached the records (auth refused, injected fault). */
  logUnprocessed(request: WriteRequest, result: 'unauthorized' | 'fault', status: number): void {
    for (const record of recordsOf(request.body)) this.#log(request, record, result, status);
  }

  /** Applies a write and returns the answer to send; idempotent per (key, version). */
  write(request: WriteRequest): { answer: WitnessAnswer; entries: Delivery[] } {
    const cacheKey = request.idempotencyKey === undefined ? undefined : `${request.idempotencyKey}\u0000${request.version ?? ''}`;
    const cached = cacheKey === undefined ? undefined : this.#answers.get(cacheKey);
    if (cached) {
      const entries = recordsOf(request.body).map((record) => this.#log(request, record, 'replayed', cached.status));
      return { answer: { ...cached, replayed: true }, entries };
    }
    const answer = Array.isArray(request.body) ? this.#writeArray(request, request.body) : this.#writeOne(request, request.body);
    if (cacheKey !== undefined && answer.answer.status < 500) this.#answers.set(cacheKey, answer.answer);
    return answer;
  }

  /** Entity id → stored version. */
  stored(): Map<string, string | undefined> {
    return new Map([...this.records].map(([id, record]) => [id, record.version]));
  }

  reset(): void {
    this.records.clear();
    this.deliveries.length = 0;
    this.#answers.clear();
  }

  #writeOne(request: WriteRequest, body: unknown): { answer: WitnessAnswer; entries: Delivery[] } {
    const result = this.#apply(request, body);
    return { answer: { status: result.status, body: result.body }, entries: [result.entry] };
  }

  #writeArray(request: WriteRequest, body: unknown[]): { answer: WitnessAnswer; entries: Delivery[] } {
    // Array elements carry their own `version` field; a request-level version header would be ambiguous.
    const perElement = { ...request, version: undefined };
    const results = body.map((record) => this.#apply(perElement, record));
    return { answer: { status: 200, body: results.map((result) => result.element) }, entries: results.map((result) => result.entry) };
  }

  #apply(request: WriteRequest, record: unknown) {
    const fields = record && typeof record === 'object' && !Array.isArray(record) ? (record as Record<string, unknown>) : undefined;
    const refusal = fields ? this.#validate(fields) : 'the body must be a JSON object';
    if (refusal !== undefined) {
      const entry = this.#log(request, record, 'rejected', 422);
      return { status: 422, body: { error: refusal }, element: { error: refusal }, entry };
    }
    const id = String(fields!.id);
    const version = versionOf(request, fields!);
    const existing = this.records.get(id);
    if (existing?.version !== undefined && version !== undefined) {
      const order = compareVersions(version, existing.version);
      if (order < 0) {
        const entry = this.#log(request, record, 'stale', 409);
        const error = `stale: stored version ${existing.version} is newer than ${version}`;
        return { status: 409, body: { error, id }, element: { id, status: 'stale' }, entry };
      }
      if (order === 0) {
        const entry = this.#log(request, record, 'duplicate', 409);
        return { status: 409, body: { error: `duplicate: version ${version} already applied`, id }, element: { id, status: 'duplicate' }, entry };
      }
    }
    this.records.set(id, { id, version, data: record, idempotencyKey: request.idempotencyKey, writes: (existing?.writes ?? 0) + 1 });
    const status = existing ? 200 : 201;
    const entry = this.#log(request, record, 'applied', status);
    return { status, body: { id, version: version ?? null }, element: { id, status: existing ? 'updated' : 'created' }, entry };
  }

  #log(request: WriteRequest, record: unknown, result: Delivery['result'], status: number): Delivery {
    const fields = record && typeof record === 'object' ? (record as Record<string, unknown>) : {};
    const id = typeof fields.id === 'string' || typeof fields.id === 'number' ? String(fields.id) : undefined;
    const entry: Delivery = {
      seq: this.deliveries.length + 1,
      method: request.method,
      path: request.path,
      ...(id !== undefined ? { id } : {}),
      ...(request.idempotencyKey !== undefined ? { idempotencyKey: request.idempotencyKey } : {}),
      ...(versionOf(request, fields) !== undefined ? { version: versionOf(request, fields) } : {}),
      result,
      status,
    };
    this.deliveries.push(entry);
    return entry;
  }
}

function recordsOf(body: unknown): unknown[] {
  return Array.isArray(body) ? body : [body];
}

function versionOf(request: WriteRequest, fields: Record<string, unknown>): string | undefined {
  if (request.version !== undefined) return request.version;
  if (typeof fields.version === 'string' || typeof fields.version === 'number') return String(fields.version);
  return undefined;
}

/** Numbers compare as numbers, timestamps as instants, anything else as text. */
export function compareVersions(a: string, b: string): number {
  const numeric = /^-?\d+(?:\.\d+)?$/;
  if (numeric.test(a) && numeric.test(b)) return Math.sign(Number(a) - Number(b));
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && /^\d{4}-/.test(a) && /^\d{4}-/.test(b)) return Math.sign(ta - tb);
  return a < b ? -1 : a > b ? 1 : 0;
}
