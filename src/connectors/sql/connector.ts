/**
 * One SQL system: a lazily opened client (pool) shared by the source, target, lookup and
 * discovery. Nothing connects until the first call; a failed connect is retried on the next one.
 */
import {
  DatongError,
  type CheckResult,
  type Connector,
  type ConnectorContext,
  type DiscoveredEntity,
  type LookupRequest,
  type ReadPage,
  type ReadRequest,
  type WriteOutcome,
  type WriteRequest,
} from '../../sdk/index.ts';
import { openClient, type SqlClient } from './client.ts';
import { discoverTables } from './discover.ts';
import { toSqlError } from './errors.ts';
import { lookupRows } from './lookup.ts';
import type { SqlConfig } from './options.ts';
import { writeBatch } from './sink.ts';
import { readPage } from './source.ts';
import { ledgerDdl } from './statements.ts';
import { parseSqlUrl, type ConnectionTarget } from './url.ts';

export class SqlConnector implements Connector {
  private readonly target: ConnectionTarget;
  private readonly system: string;
  private readonly poolSize: number;
  private opening?: Promise<SqlClient>;
  private readonly ledgers = new Map<string, Promise<void>>();
  private closed = false;

  constructor(config: SqlConfig, context: ConnectorContext) {
    this.target = parseSqlUrl(config.url, { baseDir: context.baseDir, password: config.password });
    this.system = context.systemId;
    this.poolSize = config.poolSize ?? 5;
  }

  get dialect(): ConnectionTarget['dialect'] {
    return this.target.dialect;
  }

  private client = (): Promise<SqlClient> => {
    if (this.closed) {
      // To a caller a closed connector is a lost connection: retrying with a fresh one helps.
      return Promise.reject(new DatongError('DT_SQL_CONNECTION', { params: { system: this.system, reason: 'the connector is closed' } }));
    }
    this.opening ??= openClient(this.target, this.poolSize).catch((error: unknown) => {
      this.opening = undefined;
      // Failing to open (no such folder, unreadable file, driver missing) is a connection problem.
      const failure = toSqlError(error, { dialect: this.target.dialect, system: this.system });
      if (failure.code === 'DT_SQL_AUTH' || failure.code === 'DT_SQL_CONNECTION') throw failure;
      throw new DatongError('DT_SQL_CONNECTION', { params: { system: this.system, reason: failure.params.reason }, cause: error, where: { system: this.system } });
    });
    return this.opening;
  };

  private ensureLedger = (client: SqlClient, table: string): Promise<void> => {
    let ready = this.ledgers.get(table);
    if (!ready) {
      ready = client.query(ledgerDdl(client.dialect, table)).then(
        () => undefined,
        (error: unknown) => {
          this.ledgers.delete(table);
          throw error;
        },
      );
      this.ledgers.set(table, ready);
    }
    return ready;
  };

  async open(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const client = await this.client();
    try {
      await client.query('SELECT 1');
    } catch (error) {
      throw toSqlError(error, { dialect: client.dialect, system: this.system });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const opening = this.opening;
    this.opening = undefined;
    if (!opening) return;
    const client = await opening.catch(() => undefined);
    await client?.close().catch(() => {});
  }

  async check(signal: AbortSignal): Promise<CheckResult> {
    const started = performance.now();
    try {
      await this.open(signal);
      return { ok: true, message: `${this.target.dialect} answered`, latencyMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error), latencyMs: Math.round(performance.now() - started) };
    }
  }

  read(request: ReadRequest, signal: AbortSignal): Promise<ReadPage> {
    return readPage({ system: this.system, client: this.client }, request, signal);
  }

  write(request: WriteRequest, signal: AbortSignal): Promise<WriteOutcome[]> {
    return writeBatch({ system: this.system, client: this.client, ensureLedger: this.ensureLedger }, request, signal);
  }

  lookup(request: LookupRequest, signal: AbortSignal): Promise<Map<string, unknown>> {
    return lookupRows({ system: this.system, client: this.client }, request, signal);
  }

  async discover(signal: AbortSignal): Promise<DiscoveredEntity[]> {
    signal.throwIfAborted();
    const client = await this.client();
    try {
      return await discoverTables(client);
    } catch (error) {
      throw toSqlError(error, { dialect: client.dialect, system: this.system });
    }
  }
}
