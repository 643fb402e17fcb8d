/**
 * SQL identifiers (tables, columns) come from workspace files and record fields, so they are
 * checked against a strict pattern before they go anywhere near a statement, then quoted for
 * the dialect. Values are never interpolated: they are always bound parameters.
 */
import { DatongError } from '../../sdk/index.ts';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/** Letters, digits and underscores, not starting with a digit, at most 63 characters (PostgreSQL's limit). */
export const IDENTIFIER_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function checkIdentifier(name: unknown): string {
  if (typeof name !== 'string' || !IDENTIFIER_PATTERN.test(name)) {
    throw new DatongError('DT_SQL_IDENTIFIER', { params: { identifier: String(name) } });
  }
  return name;
}

/** Validates, then quotes: "name" for SQLite and PostgreSQL, `name` for MySQL/MariaDB. */
export function quoteIdentifier(dialect: Dialect, name: unknown): string {
  const checked = checkIdentifier(name);
  return dialect === 'mysql' ? `\`${checked}\`` : `"${checked}"`;
}

/**
 * Collects bound values and hands out the dialect's placeholder for each: `$1…$n` for
 * PostgreSQL, `?` for the others.
 */
export class Params {
  readonly values: unknown[] = [];
  constructor(readonly dialect: Dialect) {}

  add(value: unknown): string {
    this.values.push(value);
    return this.dialect === 'postgres' ? `$${this.values.length}` : '?';
  }
}
