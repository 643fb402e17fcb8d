/**
 * A database for the SQL connector's integration tests: a SQLite file in a temp folder, or the
 * shared PostgreSQL / MariaDB `test` database behind a cuttable TCP relay. Null when the server
 * is missing (requireService has warned, or failed the run under CI).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireService, SERVICES } from '../../../../test/support/services.ts';
import { silentLogger, type Connector } from '../../../sdk/index.ts';
import { openClient, type SqlClient } from '../client.ts';
import type { Dialect } from '../identifiers.ts';
import { sqlSpec } from '../spec.ts';
import { parseSqlUrl } from '../url.ts';
import { TcpProxy } from './tcp-proxy.ts';

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres', 'mysql'];

/**
 * Part of every table name a test creates: the server databases are shared, and two runs of the
 * same test file (two checkouts, a watch run next to a full run) must not drop each other's tables.
 */
export const RUN_TAG = randomBytes(3).toString('hex');

export interface TestDb {
  dialect: Dialect;
  /** URL the connectors under test use (through the relay for servers). */
  url: string;
  /** A separate client for setup and inspection. */
  client: SqlClient;
  exec(...statements: string[]): Promise<void>;
  rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  connector(): Connector;
  /** Cuts the connection between connectors and the server; the result restores it. */
  outage?(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export async function openTestDb(dialect: Dialect): Promise<TestDb | null> {
  let url: string;
  let direct: string;
  let proxy: TcpProxy | undefined;
  let folder: string | undefined;
  if (dialect === 'sqlite') {
    folder = mkdtempSync(join(tmpdir(), 'datong-sql-'));
    url = direct = `sqlite:${join(folder, 'target.db')}`;
  } else {
    const service = dialect === 'postgres' ? 'postgres' : 'mariadb';
    if (!(await requireService(service))) return null;
    proxy = new TcpProxy({ host: SERVICES[service].host, port: SERVICES[service].port });
    const port = await proxy.start();
    direct = SERVICES[service].url;
    const relayed = new URL(direct);
    relayed.host = `127.0.0.1:${port}`;
    url = relayed.toString();
  }
  // Setup and inspection bypass the relay, so they work during an outage.
  const client = await openClient(parseSqlUrl(direct, { baseDir: folder ?? process.cwd() }), 2);
  const context = { systemId: `test-${dialect}`, timezone: 'Asia/Shanghai', baseDir: folder ?? process.cwd(), logger: silentLogger };
  const relay = proxy;
  return {
    dialect,
    url,
    client,
    async exec(...statements) {
      for (const statement of statements) await client.query(statement);
    },
    async rows<T>(sql: string, params: unknown[] = []) {
      return (await client.query(sql, params)).rows as T[];
    },
    connector: () => sqlSpec.create({ url, poolSize: 3 }, context),
    ...(relay
      ? {
          async outage() {
            await relay.cut();
            return () => relay.restore();
          },
        }
      : {}),
    async close() {
      await client.close();
      await proxy?.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    },
  };
}
