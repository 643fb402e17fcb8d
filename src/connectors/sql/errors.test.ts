import { describe, expect, it } from 'vitest';
import { classifySqlError, toSqlError } from './errors.ts';

function err(fields: Record<string, unknown>, message = 'boom'): Error {
  return Object.assign(new Error(message), fields);
}

describe('driver error classification', () => {
  it.each([
    ['postgres', err({ code: '23505' }), 'constraint'],
    ['postgres', err({ code: '22P02' }), 'constraint'],
    ['postgres', err({ code: '42P01' }), 'statement'],
    ['postgres', err({ code: '57P01' }), 'connection'],
    ['postgres', err({ code: '08006' }), 'connection'],
    ['postgres', err({ code: '28P01' }), 'auth'],
    ['postgres', err({ code: '40P01' }), 'conflict'],
    ['postgres', err({ code: 'ECONNREFUSED' }), 'connection'],
    ['postgres', err({}, 'Connection terminated unexpectedly'), 'connection'],
    ['mysql', err({ code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000' }), 'constraint'],
    ['mysql', err({ code: 'ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', errno: 1366, sqlState: 'HY000' }), 'constraint'],
    ['mysql', err({ code: 'ER_NO_SUCH_TABLE', errno: 1146, sqlState: '42S02' }), 'statement'],
    ['mysql', err({ code: 'ER_LOCK_DEADLOCK', errno: 1213, sqlState: '40001' }), 'conflict'],
    ['mysql', err({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }), 'connection'],
    ['mysql', err({ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045, fatal: true }), 'auth'],
    ['sqlite', err({ code: 'SQLITE_CONSTRAINT_NOTNULL' }), 'constraint'],
    ['sqlite', err({ code: 'SQLITE_BUSY' }), 'conflict'],
    ['sqlite', err({ code: 'SQLITE_CANTOPEN' }), 'connection'],
    ['sqlite', err({ code: 'SQLITE_ERROR' }, 'no such table: x'), 'statement'],
    ['sqlite', new TypeError('SQLite3 can only bind numbers, strings, bigints, buffers, and null'), 'constraint'],
  ] as const)('%s %o → %s', (dialect, error, kind) => {
    expect(classifySqlError(dialect, error)).toBe(kind);
  });

  it('maps kinds to catalogue codes with the right retry flag', () => {
    const constraint = toSqlError(err({ code: '23502', detail: 'Failing row contains (1, null)' }, 'null value in column "name"'), { dialect: 'postgres', system: 'erp', table: 'orders' });
    expect(constraint.code).toBe('DT_SQL_CONSTRAINT');
    expect(constraint.retryable).toBe(false);
    expect(constraint.params).toEqual({ table: 'orders', reason: 'null value in column "name" (Failing row contains (1, null))' });
    expect(constraint.localized('zh')).toContain('表 orders 违反数据库约束');

    const lost = toSqlError(err({ code: 'ECONNRESET' }), { dialect: 'mysql', system: 'wms' });
    expect([lost.code, lost.retryable, lost.where.system]).toEqual(['DT_SQL_CONNECTION', true, 'wms']);
    expect(toSqlError(err({ code: '40001' }), { dialect: 'postgres', system: 'erp' }).retryable).toBe(true);
    expect(toSqlError(err({ code: '28P01' }), { dialect: 'postgres', system: 'erp' }).code).toBe('DT_SQL_AUTH');
  });
});
