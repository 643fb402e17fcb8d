/**
 * Sink and source conformance harnesses over a TestDb. The sink's witness is a write-log
 * trigger: every row the target table receives (insert or update) is copied into
 * `<table>_writes`, so an upsert cannot hide a second raw write.
 */
import type { SinkHarness } from '../../../sdk/testing/sink-conformance.ts';
import type { SourceHarness } from '../../../sdk/testing/source-conformance.ts';
import type { Dialect } from '../identifiers.ts';
import { ledgerDdl } from '../statements.ts';
import type { TestDb } from './test-db.ts';

/** Column types that keep decimals and long text exact in each dialect. */
export function types(dialect: Dialect) {
  return {
    text: (length: number) => (dialect === 'sqlite' ? 'TEXT' : `VARCHAR(${length})`),
    // SQLite has no decimal type: NUMERIC affinity would turn '12345678901234.56' into a float.
    decimal: dialect === 'sqlite' ? 'TEXT' : 'DECIMAL(20,2)',
    serial: dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'BIGINT AUTO_INCREMENT PRIMARY KEY',
    tableSuffix: dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : '',
  };
}

export async function dropTables(db: TestDb, ...tables: string[]): Promise<void> {
  for (const table of tables) await db.exec(db.dialect === 'postgres' ? `DROP TABLE IF EXISTS ${table} CASCADE` : `DROP TABLE IF EXISTS ${table}`);
}

/** Drops the write log of `table` (its table, and the trigger function in PostgreSQL). */
export async function dropWriteLog(db: TestDb, table: string): Promise<void> {
  await dropTables(db, `${table}_writes`);
  if (db.dialect === 'postgres') await db.exec(`DROP FUNCTION IF EXISTS ${table}_log() CASCADE`);
}

/** Adds `<table>_writes` and AFTER INSERT/UPDATE triggers copying (id, version) into it. */
export async function addWriteLog(db: TestDb, table: string, columns: { id: string; version: string }): Promise<void> {
  const t = types(db.dialect);
  const log = `${table}_writes`;
  await dropTables(db, log);
  await db.exec(`CREATE TABLE ${log} (seq ${t.serial}, id ${t.text(64)}, version ${t.text(40)}, op ${t.text(10)})${t.tableSuffix}`);
  const { id, version } = columns;
  if (db.dialect === 'sqlite') {
    for (const op of ['INSERT', 'UPDATE']) {
      await db.exec(`CREATE TRIGGER ${table}_log_${op.toLowerCase()} AFTER ${op} ON ${table} BEGIN INSERT INTO ${log} (id, version, op) VALUES (NEW.${id}, NEW.${version}, '${op}'); END`);
    }
  } else if (db.dialect === 'postgres') {
    await db.exec(
      `CREATE OR REPLACE FUNCTION ${table}_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ${log} (id, version, op) VALUES (NEW.${id}, NEW.${version}, TG_OP); RETURN NULL; END $$`,
      `CREATE TRIGGER ${table}_log AFTER INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${table}_log()`,
    );
  } else {
    for (const op of ['INSERT', 'UPDATE']) {
      await db.exec(`CREATE TRIGGER ${table}_log_${op.toLowerCase()} AFTER ${op} ON ${table} FOR EACH ROW INSERT INTO ${log} (id, version, op) VALUES (NEW.${id}, NEW.${version}, '${op}')`);
    }
  }
}

/** The sink conformance harness on table `<prefix>_orders`. */
export async function sqlSinkHarness(db: TestDb, prefix: string): Promise<SinkHarness> {
  const table = `${prefix}_orders`;
  const ledger = `${prefix}_ledger`;
  const t = types(db.dialect);
  await dropTables(db, table);
  await db.exec(
    `CREATE TABLE ${table} (id ${t.text(64)} PRIMARY KEY, customer ${t.text(100)} NOT NULL, amount ${t.decimal}, version ${t.text(40)})${t.tableSuffix}`,
  );
  await addWriteLog(db, table, { id: 'id', version: 'version' });
  // The connector creates its ledger on demand; reset() empties it, so it must exist already.
  await db.exec(ledgerDdl(db.dialect, ledger));
  return {
    connector: () => db.connector(),
    writeOptions: { table, key: ['id'], version: 'version', ledgerTable: ledger },
    item: (n, version) => ({ id: `sink-${String(n).padStart(4, '0')}`, customer: `客户${n}`, amount: `${n}.50`, ...(version ? { version } : {}) }),
    // NOT NULL violation: rejected by the database itself, permanently.
    poison: () => ({ id: 'sink-poison', customer: null, amount: '1.00' }),
    async witness() {
      const rows = await db.rows<{ id: string; version: string | null }>(`SELECT id, version FROM ${table}_writes ORDER BY seq`);
      return rows.map((row) => ({ id: row.id, ...(row.version === null ? {} : { version: row.version }) }));
    },
    async stored() {
      const rows = await db.rows<{ id: string; version: string | null }>(`SELECT id, version FROM ${table}`);
      return new Map(rows.map((row) => [row.id, row.version ?? undefined]));
    },
    dedupesRawWrites: true,
    ...(db.outage ? { outage: () => db.outage!() } : {}),
    async reset() {
      await db.exec(`DELETE FROM ${table}`, `DELETE FROM ${table}_writes`, `DELETE FROM ${ledger}`);
    },
    async close() {
      await dropWriteLog(db, table);
      await dropTables(db, table, ledger);
    },
  };
}

/**
 * The source conformance harness on table `<prefix>_changes`. Cursor values are timestamps one
 * microsecond apart: a driver that turned them into JS Dates would lose them and fail the suite.
 */
export async function sqlSourceHarness(db: TestDb, prefix: string, mode: 'table' | 'query'): Promise<SourceHarness> {
  const table = `${prefix}_changes`;
  const t = types(db.dialect);
  const stamp = db.dialect === 'postgres' ? 'TIMESTAMPTZ(6)' : db.dialect === 'mysql' ? 'DATETIME(6)' : 'TEXT';
  await dropTables(db, table);
  await db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name ${t.text(100)} NOT NULL, updated_at ${stamp} NOT NULL)${t.tableSuffix}`);
  let tick = 0;
  const next = () => {
    tick += 1;
    const micros = String(tick).padStart(6, '0');
    if (db.dialect === 'postgres') return `2026-11-22 08:00:00.${micros}+08`;
    if (db.dialect === 'mysql') return `2026-11-22 08:00:00.${micros}`;
    return `2026-11-22T08:00:00.${micros}+08:00`;
  };
  const p = (n: number) => (db.dialect === 'postgres' ? `$${n}` : '?');
  const query =
    db.dialect === 'postgres'
      ? `SELECT id, name, updated_at FROM ${table} WHERE (updated_at >= :cursor OR :cursor IS NULL)`
      : `SELECT id, name, updated_at FROM ${table} WHERE (:cursor IS NULL OR updated_at >= :cursor)`;
  return {
    connector: () => db.connector(),
    readOptions: mode === 'table' ? { table, cursorColumn: 'updated_at', idColumn: 'id' } : { query, cursorColumn: 'updated_at', idColumn: 'id' },
    async insert(rows) {
      const at = next();
      for (const n of rows) await db.client.query(`INSERT INTO ${table} (id, name, updated_at) VALUES (${p(1)}, ${p(2)}, ${p(3)})`, [n, `物料${n}`, at]);
    },
    async update(n) {
      await db.client.query(`UPDATE ${table} SET name = ${p(1)}, updated_at = ${p(2)} WHERE id = ${p(3)}`, [`物料${n}（改）`, next(), n]);
    },
    async reset() {
      await db.exec(`DELETE FROM ${table}`);
    },
    async close() {
      await dropTables(db, table);
    },
  };
}
