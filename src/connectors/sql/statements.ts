/**
 * Builds the write statements for each dialect. Pure functions: identifiers are validated and
 * quoted here, values only ever become placeholders.
 */
import { Params, quoteIdentifier, type Dialect } from './identifiers.ts';

export interface Statement {
  sql: string;
  params: unknown[];
}

export const LEDGER_TABLE = 'datong_applied_writes';

export interface UpsertSpec {
  table: string;
  /** Column → already converted value; must hold every key column. */
  row: Record<string, unknown>;
  key: readonly string[];
  /** Version column: an update only happens when the stored version is NULL or sorts (as text) before the new one. */
  version?: string;
}

/**
 * INSERT … ON CONFLICT/ON DUPLICATE KEY UPDATE. Affected rows tell the outcome: 0 means the
 * version guard kept the stored row (MySQL also reports 0 when nothing changed).
 */
/** Upsert texts by shape (dialect, table, columns, key, version): built once, reused per row. */
const upsertTexts = new Map<string, string>();

export function buildUpsert(dialect: Dialect, spec: UpsertSpec): Statement {
  const columns = Object.keys(spec.row);
  const shape = `${dialect}\u0000${spec.table}\u0000${columns.join(',')}\u0000${spec.key.join(',')}\u0000${spec.version ?? ''}`;
  const cached = upsertTexts.get(shape);
  if (cached !== undefined) return { sql: cached, params: columns.map((column) => spec.row[column]) };
  const statement = buildUpsertText(dialect, spec, columns);
  if (upsertTexts.size > 1000) upsertTexts.clear();
  upsertTexts.set(shape, statement.sql);
  return statement;
}

function buildUpsertText(dialect: Dialect, spec: UpsertSpec, columns: string[]): Statement {
  const q = (name: string) => quoteIdentifier(dialect, name);
  const params = new Params(dialect);
  for (const k of spec.key) if (!columns.includes(k)) throw new Error(`upsert row lacks key column ${k}`);
  const table = q(spec.table);
  const placeholders = columns.map((c) => params.add(spec.row[c]));
  const insert = `INSERT INTO ${table} (${columns.map(q).join(', ')}) VALUES (${placeholders.join(', ')})`;
  const version = spec.version !== undefined && columns.includes(spec.version) ? spec.version : undefined;
  // The version column goes last: MySQL evaluates SET left to right with already-updated values,
  // so the guard must see the stored version in every earlier assignment.
  const updated = columns.filter((c) => !spec.key.includes(c) && c !== version);
  if (version !== undefined) updated.push(version);

  if (dialect === 'mysql') {
    const guard = version === undefined ? undefined : `(${q(version)} IS NULL OR CAST(${q(version)} AS BINARY) < CAST(VALUES(${q(version)}) AS BINARY))`;
    const sets = updated.length === 0 ? [`${q(spec.key[0])} = ${q(spec.key[0])}`] : updated.map((c) => (guard ? `${q(c)} = IF(${guard}, VALUES(${q(c)}), ${q(c)})` : `${q(c)} = VALUES(${q(c)})`));
    return { sql: `${insert} ON DUPLICATE KEY UPDATE ${sets.join(', ')}`, params: params.values };
  }

  const sets = (updated.length === 0 ? [spec.key[0]] : updated).map((c) => `${q(c)} = excluded.${q(c)}`);
  let sql = `${insert} ON CONFLICT (${spec.key.map(q).join(', ')}) DO UPDATE SET ${sets.join(', ')}`;
  if (version !== undefined) {
    // Byte order ("C" collation in PostgreSQL) so that locale rules never reorder ISO timestamps.
    const text = (expr: string) => (dialect === 'postgres' ? `CAST(${expr} AS TEXT) COLLATE "C"` : `CAST(${expr} AS TEXT)`);
    sql += ` WHERE ${table}.${q(version)} IS NULL OR ${text(`${table}.${q(version)}`)} < ${text(`excluded.${q(version)}`)}`;
  }
  return { sql, params: params.values };
}

export interface ChildDeleteSpec {
  table: string;
  /** Child column → the parent's value: selects the parent's lines. */
  parent: Record<string, unknown>;
  key: readonly string[];
  /** Key values of the lines to keep (in `key` order). */
  keep: readonly unknown[][];
}

/** Deletes the lines of one parent whose keys are not in the new set. */
export function buildChildDelete(dialect: Dialect, spec: ChildDeleteSpec): Statement {
  const q = (name: string) => quoteIdentifier(dialect, name);
  const params = new Params(dialect);
  const where = Object.entries(spec.parent).map(([column, value]) => `${q(column)} = ${params.add(value)}`);
  if (spec.keep.length > 0) {
    const kept = spec.keep.map((values) => `(${spec.key.map((column, i) => `${q(column)} = ${params.add(values[i])}`).join(' AND ')})`);
    where.push(`NOT (${kept.join(' OR ')})`);
  }
  return { sql: `DELETE FROM ${q(spec.table)} WHERE ${where.join(' AND ')}`, params: params.values };
}

/** The idempotency ledger: one row per applied idempotency key, created on demand in the target. */
export function ledgerDdl(dialect: Dialect, table: string = LEDGER_TABLE): string {
  const t = quoteIdentifier(dialect, table);
  switch (dialect) {
    case 'sqlite':
      return `CREATE TABLE IF NOT EXISTS ${t} ("idempotency_key" TEXT PRIMARY KEY, "applied_at" TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)`;
    case 'postgres':
      return `CREATE TABLE IF NOT EXISTS ${t} ("idempotency_key" VARCHAR(255) PRIMARY KEY, "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now())`;
    case 'mysql':
      // Binary collation: keys differing only in case are different keys.
      return `CREATE TABLE IF NOT EXISTS ${t} (\`idempotency_key\` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY, \`applied_at\` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
  }
}

/** Records a key; affects 0 rows when the key was already applied. */
export function buildLedgerInsert(dialect: Dialect, key: string, table: string = LEDGER_TABLE): Statement {
  const t = quoteIdentifier(dialect, table);
  const params = new Params(dialect);
  const value = params.add(key);
  if (dialect === 'mysql') {
    return { sql: `INSERT INTO ${t} (\`idempotency_key\`) VALUES (${value}) ON DUPLICATE KEY UPDATE \`idempotency_key\` = \`idempotency_key\``, params: params.values };
  }
  return { sql: `INSERT INTO ${t} ("idempotency_key") VALUES (${value}) ON CONFLICT DO NOTHING`, params: params.values };
}
