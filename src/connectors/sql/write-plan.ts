/**
 * Turns write options and one item into the rows to upsert: checks every identifier, applies
 * the column whitelist, fills the version column and copies parent keys into child rows.
 */
import { createHash } from 'node:crypto';
import { DatongError, type WriteItem } from '../../sdk/index.ts';
import { checkIdentifier, type Dialect } from './identifiers.ts';
import type { SqlWriteOptions } from './options.ts';
import { LEDGER_TABLE } from './statements.ts';
import { isPlainObject, toDbValue } from './values.ts';

export interface ChildPlan {
  table: string;
  from: string;
  parentKey: [child: string, parent: string][];
  key: string[];
}

export interface WritePlan {
  table: string;
  key: string[];
  version?: string;
  columns?: Set<string>;
  children: ChildPlan[];
  idempotency: boolean;
  ledgerTable: string;
}

/** Validates the options (the engine validated their shape; identifiers are checked again here). */
export function planWrite(options: Record<string, unknown>): WritePlan {
  const o = options as Partial<SqlWriteOptions>;
  const table = checkIdentifier(o.table);
  if (!Array.isArray(o.key) || o.key.length === 0) throw invalid(`table ${table}: key must list at least one column`);
  const key = o.key.map(checkIdentifier);
  const version = o.version === undefined ? undefined : checkIdentifier(o.version);
  const columns = o.columns === undefined ? undefined : new Set(o.columns.map(checkIdentifier));
  const children = (o.children ?? []).map((child) => {
    const parentKey = Object.entries(child.parentKey ?? {}).map(([c, p]) => [checkIdentifier(c), checkIdentifier(p)] as [string, string]);
    if (parentKey.length === 0) throw invalid(`child table ${child.table}: parentKey is empty`);
    if (!Array.isArray(child.key) || child.key.length === 0) throw invalid(`child table ${child.table}: key is empty`);
    return { table: checkIdentifier(child.table), from: String(child.from), parentKey, key: child.key.map(checkIdentifier) };
  });
  const ledgerTable = o.ledgerTable === undefined ? LEDGER_TABLE : checkIdentifier(o.ledgerTable);
  return { table, key, version, columns, children, idempotency: o.idempotency !== false, ledgerTable };
}

export interface ItemRows {
  header: Record<string, unknown>;
  /** Key values of the header, for the outcome's targetId. */
  targetId: string;
  /** Per child plan: its rows and the parent's values (undefined: the item has no such field, the child table is left alone). */
  children: (ChildRows | undefined)[];
}

export interface ChildRows {
  rows: Record<string, unknown>[];
  /** Child column → parent value: selects this parent's lines. */
  parent: Record<string, unknown>;
}

export function itemRows(dialect: Dialect, plan: WritePlan, item: WriteItem): ItemRows {
  if (!isPlainObject(item.data)) throw rejected(plan.table, 'the item is not an object');
  const data = item.data;
  const childFields = new Set(plan.children.map((c) => c.from));
  const header: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data)) {
    if (childFields.has(field) || value === undefined) continue;
    if (plan.columns && !plan.columns.has(field) && !plan.key.includes(field) && field !== plan.version) continue;
    header[checkIdentifier(field)] = toDbValue(dialect, value);
  }
  if (plan.version !== undefined) {
    const version = data[plan.version] ?? item.version;
    header[plan.version] = version === undefined ? null : toDbValue(dialect, version);
  }
  for (const k of plan.key) {
    if (header[k] === undefined || header[k] === null) throw rejected(plan.table, `key column ${k} has no value`);
  }
  const keyValues = plan.key.map((k) => header[k]);
  const targetId = keyValues.length === 1 ? String(keyValues[0]) : JSON.stringify(keyValues);

  const children = plan.children.map((child) => {
    const rows = data[child.from];
    if (rows === undefined) return undefined;
    if (!Array.isArray(rows)) throw rejected(child.table, `field ${child.from} is not an array`);
    const parent: Record<string, unknown> = {};
    for (const [childColumn, parentColumn] of child.parentKey) {
      const value = header[parentColumn] ?? toDbValue(dialect, data[parentColumn]);
      if (value === null || value === undefined) throw rejected(child.table, `parent column ${parentColumn} has no value`);
      parent[childColumn] = value;
    }
    const lines = rows.map((line, index) => {
      if (!isPlainObject(line)) throw rejected(child.table, `${child.from}[${index}] is not an object`);
      const row: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(line)) {
        if (value !== undefined) row[checkIdentifier(field)] = toDbValue(dialect, value);
      }
      Object.assign(row, parent);
      for (const k of child.key) {
        if (row[k] === undefined || row[k] === null) throw rejected(child.table, `${child.from}[${index}]: key column ${k} has no value`);
      }
      return row;
    });
    return { rows: lines, parent };
  });
  return { header, targetId, children };
}

/**
 * The ledger entry of an item: its idempotency key, plus its version when it has one. The
 * engine's key names the source record, not its state, so the same key with a newer version is
 * an update to apply, while the same key and version is a replay to skip.
 *
 * The ledger column holds 255 characters and MySQL's PAD SPACE collations ignore trailing
 * blanks: longer entries, or ones ending in whitespace, are stored as their SHA-256.
 */
export function ledgerKey(idempotencyKey: string, version?: string): string {
  const entry = version === undefined ? idempotencyKey : JSON.stringify([idempotencyKey, version]);
  if (entry.length <= 200 && !/\s$/.test(entry)) return entry;
  return `sha256:${createHash('sha256').update(entry).digest('hex')}`;
}

function invalid(reason: string): DatongError {
  return new DatongError('DT_CONFIG_INVALID', { params: { reason } });
}

function rejected(table: string, reason: string): DatongError {
  return new DatongError('DT_SQL_CONSTRAINT', { params: { table, reason } });
}
