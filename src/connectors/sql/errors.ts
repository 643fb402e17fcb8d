/**
 * Sorts driver errors into what the hub can do about them:
 * - `connection`: the database is unreachable or the connection broke — retry the whole batch;
 * - `auth`: credentials refused — retrying will not help until someone fixes the secret;
 * - `conflict`: deadlock, lock timeout, busy database — retry (MySQL rolls the whole transaction back);
 * - `constraint`: this row is wrong (key, NOT NULL, foreign key, check, bad type or size) — fails alone;
 * - `statement`: the statement itself is wrong (unknown table or column) — non-retryable.
 */
import { DatongError } from '../../sdk/index.ts';
import type { Dialect } from './identifiers.ts';

export type SqlFailureKind = 'connection' | 'auth' | 'conflict' | 'constraint' | 'statement';

interface DriverError {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  fatal?: unknown;
  message?: unknown;
  detail?: unknown;
  constraint?: unknown;
}

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNABORTED']);

const MYSQL_CONNECTION = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED']);
const MYSQL_AUTH = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE']);
const MYSQL_CONFLICT = new Set([1205, 1213]);
// Row-level errors whose SQLSTATE is the generic HY000.
const MYSQL_ROW_ERRNOS = new Set([1048, 1062, 1364, 1366, 1406, 1451, 1452, 1264, 1265, 1292, 3819, 4025]);

export function classifySqlError(dialect: Dialect, error: unknown): SqlFailureKind {
  const e = (error ?? {}) as DriverError;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (SOCKET_CODES.has(code)) return 'connection';
  switch (dialect) {
    case 'postgres':
      return classifyPostgres(code, message);
    case 'mysql':
      return classifyMysql(e, code);
    case 'sqlite':
      return classifySqlite(error, code, message);
  }
}

function classifyPostgres(code: string, message: string): SqlFailureKind {
  if (/^[0-9A-Z]{5}$/.test(code)) {
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return 'connection';
    if (code === '28000' || code === '28P01') return 'auth';
    if (['40001', '40P01', '55P03'].includes(code)) return 'conflict';
    if (code.startsWith('23') || code.startsWith('22')) return 'constraint';
    return 'statement';
  }
  // pg reports a lost socket without a SQLSTATE.
  if (/connection|terminated|timeout|Client was closed|not queryable/i.test(message)) return 'connection';
  return 'statement';
}

function classifyMysql(e: DriverError, code: string): SqlFailureKind {
  if (MYSQL_AUTH.has(code)) return 'auth';
  if (MYSQL_CONNECTION.has(code) || e.fatal === true || code === 'POOL_CLOSED') return 'connection';
  if (typeof e.errno === 'number' && MYSQL_CONFLICT.has(e.errno)) return 'conflict';
  const state = typeof e.sqlState === 'string' ? e.sqlState : '';
  if (state.startsWith('23') || state.startsWith('22')) return 'constraint';
  if (typeof e.errno === 'number' && MYSQL_ROW_ERRNOS.has(e.errno)) return 'constraint';
  if (state.startsWith('08')) return 'connection';
  return 'statement';
}

function classifySqlite(error: unknown, code: string, message: string): SqlFailureKind {
  if (code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG') return 'constraint';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'conflict';
  if (/^SQLITE_(CANTOPEN|IOERR|NOTADB|CORRUPT|FULL|READONLY)/.test(code)) return 'connection';
  // better-sqlite3 throws a TypeError for a value it cannot bind, and another once closed.
  if (error instanceof TypeError) return /not open/i.test(message) ? 'connection' : 'constraint';
  return 'statement';
}

/** True when the connection the error came from must not be reused. */
export function isConnectionLoss(dialect: Dialect, error: unknown): boolean {
  return classifySqlError(dialect, error) === 'connection';
}

export interface SqlErrorContext {
  dialect: Dialect;
  system: string;
  table?: string;
}

export function toSqlError(error: unknown, context: SqlErrorContext): DatongError {
  if (error instanceof DatongError) return error;
  const e = (error ?? {}) as DriverError;
  const reason = describe(e, error);
  const details = {
    ...(typeof e.code === 'string' ? { driverCode: e.code } : {}),
    ...(typeof e.sqlState === 'string' ? { sqlState: e.sqlState } : {}),
    ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
  };
  const table = context.table ?? '?';
  const options = { cause: error, details, where: { system: context.system } };
  switch (classifySqlError(context.dialect, error)) {
    case 'connection':
      return new DatongError('DT_SQL_CONNECTION', { ...options, params: { system: context.system, reason } });
    case 'auth':
      return new DatongError('DT_SQL_AUTH', { ...options, params: { system: context.system, reason } });
    case 'conflict':
      return new DatongError('DT_SQL_CONFLICT', { ...options, params: { system: context.system, reason } });
    case 'constraint':
      return new DatongError('DT_SQL_CONSTRAINT', { ...options, params: { table, reason } });
    case 'statement':
      return new DatongError('DT_SQL_STATEMENT', { ...options, params: { table, reason } });
  }
}

function describe(e: DriverError, error: unknown): string {
  const base = typeof e.message === 'string' && e.message ? e.message : String(error);
  return typeof e.detail === 'string' && e.detail ? `${base} (${e.detail})` : base;
}
