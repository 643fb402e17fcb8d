/**
 * The connector contract. Connectors import only from `src/sdk/`; the engine adapts them.
 *
 * A connector type is described once by a {@link ConnectorSpec}: its identity, the JSON Schema of
 * a system's config (TypeBox), the schemas of the per-step options it accepts, and a factory.
 * Capabilities are optional methods: a connector that can be written to implements `write`, one
 * that can be read implements `read`, and so on. The engine checks at validation time that a
 * flow only uses capabilities its connectors have.
 *
 * Common rules for every method:
 * - the factory (`create`) does no I/O: connections are opened lazily or in `open`;
 * - every method takes an `AbortSignal`; when it fires the method stops as soon as it can and
 *   rejects with the signal's reason;
 * - failures are thrown (or returned per record) as `DatongError`s whose `retryable` flag says
 *   whether trying again can help: a 503 or a dropped connection is retryable, a constraint
 *   violation or a 400 is not.
 */
import type { TSchema } from 'typebox';
import type { DatongError } from '../errors/datong-error.ts';
import type { Logger } from './logger.ts';

export type Capability = 'read' | 'subscribe' | 'write' | 'lookup' | 'discover' | 'check';

export interface ConnectorContext {
  /** Id of the system (the file name under `systems/`). */
  systemId: string;
  /** IANA zone the system's local times are in (default Asia/Shanghai). */
  timezone: string;
  /** Folder relative paths in the config resolve against (the workspace folder). */
  baseDir: string;
  logger: Logger;
}

export interface ConnectorSpec<Config = unknown> {
  /** The `type:` of a system file, e.g. `http` or `sql`. */
  type: string;
  title: { en: string; zh: string };
  description: string;
  /** JSON Schema of the system's `config:`; fields marked `'x-secret': true` are redacted and may hold encrypted values. */
  configSchema: TSchema;
  /** JSON Schema of the options a `write` step passes to this connector. */
  writeOptionsSchema?: TSchema;
  /** JSON Schema of the options a `read` trigger passes to this connector. */
  readOptionsSchema?: TSchema;
  /** JSON Schema of the options a `lookup` step passes to this connector. */
  lookupOptionsSchema?: TSchema;
  capabilities: readonly Capability[];
  /** Builds a connector; must not do I/O. */
  create(config: Config, context: ConnectorContext): Connector;
}

export interface Connector {
  /** Opens connections ahead of use. Optional: connectors may connect lazily. */
  open?(signal: AbortSignal): Promise<void>;
  /** Releases every resource. Called once; must not throw for an already-broken connection. */
  close(): Promise<void>;
  /** Checks that the system is reachable and the credentials work, without changing anything. */
  check?(signal: AbortSignal): Promise<CheckResult>;
  /**
   * Reads the next page after `cursor` (null: from the beginning). The engine stores the returned
   * cursor in the same transaction that accepts the records, so a crash re-reads at most one page
   * (at least once, never a gap). Return records in cursor order.
   */
  read?(request: ReadRequest, signal: AbortSignal): Promise<ReadPage>;
  /**
   * Delivers records as they arrive until `signal` fires. `accept` resolves only after the records
   * are durably committed; acknowledge to the source after it resolves, never before.
   */
  subscribe?(request: SubscribeRequest, signal: AbortSignal): Promise<void>;
  /**
   * Writes a batch. Returns one outcome per item, in order. An item that fails alone is reported
   * in its outcome; a failure of the whole batch (connection lost) is thrown. Must be idempotent
   * per `idempotencyKey`, and must not let an older `version` overwrite a newer one.
   */
  write?(request: WriteRequest, signal: AbortSignal): Promise<WriteOutcome[]>;
  /** Finds records by key; keys with no match are absent from the result. */
  lookup?(request: LookupRequest, signal: AbortSignal): Promise<Map<string, unknown>>;
  /** Lists the entities (tables, endpoints) and fields the system offers. */
  discover?(signal: AbortSignal): Promise<DiscoveredEntity[]>;
}

export interface CheckResult {
  ok: boolean;
  message: string;
  latencyMs: number;
}

export interface ReadRequest<Options = Record<string, unknown>> {
  options: Options;
  cursor: string | null;
  limit: number;
}

export interface SourceRecord {
  sourceId: string;
  key?: string;
  version?: string;
  payload: unknown;
}

export interface ReadPage {
  records: SourceRecord[];
  /** Cursor after the last record of this page; unchanged if the page is empty. */
  cursor: string | null;
  hasMore: boolean;
}

export interface SubscribeRequest<Options = Record<string, unknown>> {
  options: Options;
  cursor: string | null;
  accept(records: SourceRecord[], cursor: string | null): Promise<void>;
}

export interface WriteItem {
  /** Hub record id, for error reports. */
  recordId: string;
  /** Stable across retries and replays: derived from flow, target and source id. */
  idempotencyKey: string;
  version?: string;
  data: unknown;
}

export interface WriteRequest<Options = Record<string, unknown>> {
  options: Options;
  items: WriteItem[];
}

export type WriteOutcome =
  | { status: 'written'; targetId?: string }
  /** Already applied (same idempotency key) or an older version than the target holds. */
  | { status: 'unchanged'; targetId?: string; reason: 'duplicate' | 'stale' }
  | { status: 'failed'; error: DatongError };

export interface LookupRequest<Options = Record<string, unknown>> {
  options: Options;
  keys: string[];
}

export interface DiscoveredEntity {
  name: string;
  fields: { name: string; type: string; nullable?: boolean; key?: boolean }[];
}
