import { describe, expect, it } from 'vitest';
import { buildChildDelete, buildLedgerInsert, buildUpsert, ledgerDdl } from './statements.ts';

describe('upsert statements', () => {
  const row = { order_no: 'SO-001', customer: '华为', amount: '12345678901234.56', version: '2026-11-22T08:00:00+08:00' };

  it('SQLite: ON CONFLICT … DO UPDATE with the version guard as text', () => {
    const statement = buildUpsert('sqlite', { table: 'orders', row, key: ['order_no'], version: 'version' });
    expect(statement.sql).toBe(
      'INSERT INTO "orders" ("order_no", "customer", "amount", "version") VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT ("order_no") DO UPDATE SET "customer" = excluded."customer", "amount" = excluded."amount", "version" = excluded."version" ' +
        'WHERE "orders"."version" IS NULL OR CAST("orders"."version" AS TEXT) < CAST(excluded."version" AS TEXT)',
    );
    expect(statement.params).toEqual(['SO-001', '华为', '12345678901234.56', '2026-11-22T08:00:00+08:00']);
  });

  it('PostgreSQL: numbered placeholders and byte-order ("C") comparison', () => {
    const statement = buildUpsert('postgres', { table: 'orders', row, key: ['order_no'], version: 'version' });
    expect(statement.sql).toContain('VALUES ($1, $2, $3, $4)');
    expect(statement.sql).toContain('WHERE "orders"."version" IS NULL OR CAST("orders"."version" AS TEXT) COLLATE "C" < CAST(excluded."version" AS TEXT) COLLATE "C"');
  });

  it('MariaDB: every assignment guarded, the version column assigned last', () => {
    const shuffled = { version: row.version, order_no: 'SO-001', customer: '华为' };
    const statement = buildUpsert('mysql', { table: 'orders', row: shuffled, key: ['order_no'], version: 'version' });
    const guard = '(`version` IS NULL OR CAST(`version` AS BINARY) < CAST(VALUES(`version`) AS BINARY))';
    expect(statement.sql).toBe(
      'INSERT INTO `orders` (`version`, `order_no`, `customer`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE ' +
        `\`customer\` = IF(${guard}, VALUES(\`customer\`), \`customer\`), \`version\` = IF(${guard}, VALUES(\`version\`), \`version\`)`,
    );
  });

  it('without a version: plain upsert', () => {
    expect(buildUpsert('sqlite', { table: 't', row: { id: 1, a: 2 }, key: ['id'] }).sql).toBe('INSERT INTO "t" ("id", "a") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "a" = excluded."a"');
    expect(buildUpsert('mysql', { table: 't', row: { id: 1, a: 2 }, key: ['id'] }).sql).toBe('INSERT INTO `t` (`id`, `a`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `a` = VALUES(`a`)');
  });

  it('a row of key columns only still upserts (no-op update)', () => {
    expect(buildUpsert('postgres', { table: 'tags', row: { a: 1, b: 2 }, key: ['a', 'b'] }).sql).toBe(
      'INSERT INTO "tags" ("a", "b") VALUES ($1, $2) ON CONFLICT ("a", "b") DO UPDATE SET "a" = excluded."a"',
    );
  });

  it('rejects a bad identifier in a row before building anything', () => {
    expect(() => buildUpsert('sqlite', { table: 't', row: { id: 1, 'a = 1; DROP TABLE t; --': 2 }, key: ['id'] })).toThrow(/Invalid SQL identifier/);
    expect(() => buildUpsert('sqlite', { table: 't; DROP TABLE t', row: { id: 1 }, key: ['id'] })).toThrow(/Invalid SQL identifier/);
  });

  it('binds values, never splices them into the text', () => {
    const evil = "x'); DROP TABLE orders; --";
    const statement = buildUpsert('mysql', { table: 'orders', row: { order_no: evil }, key: ['order_no'] });
    expect(statement.sql).not.toContain('DROP');
    expect(statement.params).toEqual([evil]);
  });
});

describe('child cleanup statements', () => {
  it('deletes the parent\'s lines whose keys are not kept', () => {
    const statement = buildChildDelete('postgres', {
      table: 'order_lines',
      parent: { order_no: 'SO-001' },
      key: ['order_no', 'line_no'],
      keep: [
        ['SO-001', 1],
        ['SO-001', 3],
      ],
    });
    expect(statement.sql).toBe(
      'DELETE FROM "order_lines" WHERE "order_no" = $1 AND NOT (("order_no" = $2 AND "line_no" = $3) OR ("order_no" = $4 AND "line_no" = $5))',
    );
    expect(statement.params).toEqual(['SO-001', 'SO-001', 1, 'SO-001', 3]);
  });

  it('deletes every line of the parent when none are kept', () => {
    const statement = buildChildDelete('mysql', { table: 'order_lines', parent: { order_no: 'SO-001' }, key: ['line_no'], keep: [] });
    expect(statement.sql).toBe('DELETE FROM `order_lines` WHERE `order_no` = ?');
  });
});

describe('idempotency ledger', () => {
  it('inserts keys so that a repeat affects no row', () => {
    expect(buildLedgerInsert('sqlite', 'k').sql).toBe('INSERT INTO "datong_applied_writes" ("idempotency_key") VALUES (?) ON CONFLICT DO NOTHING');
    expect(buildLedgerInsert('postgres', 'k').sql).toContain('VALUES ($1) ON CONFLICT DO NOTHING');
    expect(buildLedgerInsert('mysql', 'k').sql).toContain('ON DUPLICATE KEY UPDATE `idempotency_key` = `idempotency_key`');
    expect(buildLedgerInsert('postgres', 'k', 'erp_ledger')).toEqual({ sql: 'INSERT INTO "erp_ledger" ("idempotency_key") VALUES ($1) ON CONFLICT DO NOTHING', params: ['k'] });
  });

  it('creates the ledger only if missing, case-sensitive on MariaDB', () => {
    for (const dialect of ['sqlite', 'postgres', 'mysql'] as const) expect(ledgerDdl(dialect)).toMatch(/^CREATE TABLE IF NOT EXISTS/);
    expect(ledgerDdl('mysql')).toContain('utf8mb4_bin');
  });
});
