/**
 * SQLite's commit thread: scripts queued together commit as one transaction, a failing script
 * fails alone, guarded steps run only after a change, and main-connection transactions
 * interleave with scripts without ever seeing each other half done.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDb } from './sqlite-db.ts';

let dir: string;
let db: SqliteDb;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'datong-sqlite-db-'));
  db = new SqliteDb({ path: join(dir, 'store.db') });
  await db.exec('CREATE TABLE 订单 (no TEXT PRIMARY KEY, state TEXT NOT NULL); CREATE TABLE log (no TEXT NOT NULL)');
});

afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (no: string, state = 'ready') => ({ sql: 'INSERT INTO 订单 (no, state) VALUES (?, ?)', params: [no, state] });

describe('SqliteDb commit thread', () => {
  it('commits scripts durably and returns changes and RETURNING rows', async () => {
    const [first, second] = await Promise.all([db.runScript([insert('TB1'), insert('TB2')]), db.runScript([{ sql: `UPDATE 订单 SET state = 'leased' WHERE no = ? RETURNING no, state`, params: ['TB1'] }])]);
    expect(first).toEqual([{ changes: 1 }, { changes: 1 }]);
    expect(second).toEqual([{ changes: 1, rows: [{ no: 'TB1', state: 'leased' }] }]);
    // Another connection sees both: they were committed before the promises resolved.
    const other = new Database(join(dir, 'store.db'), { readonly: true });
    expect(other.prepare('SELECT no, state FROM 订单 ORDER BY no').all()).toEqual([
      { no: 'TB1', state: 'leased' },
      { no: 'TB2', state: 'ready' },
    ]);
    other.close();
  });

  it('fails only the script that broke a constraint', async () => {
    await db.runScript([insert('TB1')]);
    const results = await Promise.allSettled([db.runScript([insert('TB2')]), db.runScript([insert('TB3'), insert('TB1')]), db.runScript([insert('TB4')])]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.code).toBe('SQLITE_CONSTRAINT_PRIMARYKEY');
    expect((await db.all<{ no: string }>('SELECT no FROM 订单 ORDER BY no')).map((row) => row.no)).toEqual(['TB1', 'TB2', 'TB4']);
  });

  it('runs a guarded step only when its guard changed a row', async () => {
    await db.runScript([insert('TB1')]);
    const guard = (no: string) => ({ sql: `UPDATE 订单 SET state = 'done' WHERE no = ? AND state = 'ready'`, params: [no] });
    const log = (no: string) => ({ sql: 'INSERT INTO log (no) VALUES (?)', params: [no], onlyIf: 0 });
    expect(await db.runScript([guard('TB1'), log('TB1')])).toEqual([{ changes: 1 }, { changes: 1 }]);
    expect(await db.runScript([guard('TB1'), log('TB1 again')])).toEqual([{ changes: 0 }, { changes: 0 }]);
    expect(await db.all('SELECT no FROM log')).toEqual([{ no: 'TB1' }]);
  });

  it('interleaves main-connection transactions with scripts, each all or nothing', async () => {
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      work.push(db.runScript([insert(`S${i}`), { sql: 'INSERT INTO log (no) VALUES (?)', params: [`S${i}`] }]));
      work.push(
        db.transaction(async (tx) => {
          const before = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM 订单');
          await tx.run('INSERT INTO 订单 (no, state) VALUES (?, ?)', [`T${i}`, 'ready']);
          await new Promise((resolve) => setImmediate(resolve));
          const after = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM 订单');
          // Nothing from the thread lands inside this transaction.
          expect(after!.n).toBe(before!.n + 1);
          await tx.run('INSERT INTO log (no) VALUES (?)', [`T${i}`]);
        }),
      );
    }
    await Promise.all(work);
    expect(await db.get('SELECT COUNT(*) AS n FROM 订单')).toEqual({ n: 100 });
    expect(await db.get('SELECT COUNT(*) AS n FROM log')).toEqual({ n: 100 });
  });

  it('runs scripts on the calling thread for an in-memory database', async () => {
    const memory = new SqliteDb({ path: ':memory:' });
    await memory.exec('CREATE TABLE 订单 (no TEXT PRIMARY KEY, state TEXT NOT NULL)');
    expect(await memory.runScript([insert('TB1'), { sql: 'SELECT no FROM 订单', params: [] }])).toEqual([{ changes: 1 }, { changes: 1, rows: [{ no: 'TB1' }] }]);
    await memory.close();
  });
});
