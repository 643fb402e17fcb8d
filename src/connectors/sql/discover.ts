/** Lists tables and their columns: sqlite_master + table_info, or information_schema for the current schema/database. */
import type { DiscoveredEntity } from '../../sdk/index.ts';
import type { SqlClient } from './client.ts';
import { IDENTIFIER_PATTERN, quoteIdentifier } from './identifiers.ts';
import { LEDGER_TABLE } from './statements.ts';

interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
  is_key: number | string | boolean;
}

const POSTGRES_COLUMNS = `
SELECT c.table_name, c.column_name, c.data_type, c.is_nullable,
  EXISTS (
    SELECT 1 FROM information_schema.table_constraints tc
    JOIN information_schema.key_column_usage k
      ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema AND k.table_name = tc.table_name
    WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema
      AND tc.table_name = c.table_name AND k.column_name = c.column_name
  ) AS is_key
FROM information_schema.columns c
WHERE c.table_schema = current_schema()
ORDER BY c.table_name, c.ordinal_position`;

const MYSQL_COLUMNS = `
SELECT table_name AS table_name, column_name AS column_name, column_type AS data_type,
  is_nullable AS is_nullable, column_key = 'PRI' AS is_key
FROM information_schema.columns
WHERE table_schema = DATABASE()
ORDER BY table_name, ordinal_position`;

export async function discoverTables(client: SqlClient): Promise<DiscoveredEntity[]> {
  const columns = client.dialect === 'sqlite' ? await sqliteColumns(client) : (await client.query(client.dialect === 'postgres' ? POSTGRES_COLUMNS : MYSQL_COLUMNS)).rows;
  const entities = new Map<string, DiscoveredEntity>();
  for (const raw of columns) {
    // information_schema column names come back upper-case from some MariaDB versions.
    const row = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v])) as unknown as ColumnRow;
    if (row.table_name === LEDGER_TABLE) continue;
    let entity = entities.get(row.table_name);
    if (!entity) entities.set(row.table_name, (entity = { name: row.table_name, fields: [] }));
    entity.fields.push({
      name: row.column_name,
      type: String(row.data_type).toLowerCase(),
      nullable: row.is_nullable === 'YES',
      key: row.is_key === true || Number(row.is_key) === 1,
    });
  }
  return [...entities.values()];
}

async function sqliteColumns(client: SqlClient): Promise<ColumnRow[]> {
  const tables = await client.query(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name`);
  const rows: ColumnRow[] = [];
  for (const { name } of tables.rows as { name: string }[]) {
    // Names that our identifier rule rejects cannot be read or written by this connector anyway.
    if (!IDENTIFIER_PATTERN.test(name)) continue;
    const info = await client.query(`PRAGMA table_info(${quoteIdentifier('sqlite', name)})`);
    for (const column of info.rows as { name: string; type: string; notnull: number; pk: number }[]) {
      rows.push({ table_name: name, column_name: column.name, data_type: column.type || 'any', is_nullable: column.notnull || column.pk ? 'NO' : 'YES', is_key: column.pk > 0 ? 1 : 0 });
    }
  }
  return rows;
}
