/**
 * The `sql` connector: SQLite, PostgreSQL and MariaDB/MySQL as a target (upserts with version
 * guard, header + lines, idempotency ledger) and as a source (cursor-paged query), plus lookup,
 * discovery and a connection check. Drivers (better-sqlite3, pg, mysql2) load on first use.
 */
import type { ConnectorSpec } from '../../sdk/index.ts';
import { SqlConnector } from './connector.ts';
import { SqlConfigSchema, SqlLookupOptionsSchema, SqlReadOptionsSchema, SqlWriteOptionsSchema, type SqlConfig } from './options.ts';

export const sqlSpec: ConnectorSpec<SqlConfig> = {
  type: 'sql',
  title: { en: 'SQL database', zh: 'SQL 数据库' },
  description: 'SQLite, PostgreSQL or MariaDB/MySQL: upsert rows (with child tables) and read changed rows by a cursor column',
  configSchema: SqlConfigSchema,
  writeOptionsSchema: SqlWriteOptionsSchema,
  readOptionsSchema: SqlReadOptionsSchema,
  lookupOptionsSchema: SqlLookupOptionsSchema,
  capabilities: ['write', 'read', 'lookup', 'discover', 'check'],
  create(config, context) {
    return new SqlConnector(config, context);
  },
};
