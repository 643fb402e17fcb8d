import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, STORE_KINDS, type TestDb } from '../../test/support/store-dbs.ts';
import { AuditLog, entryHash, GENESIS_HASH } from './audit-log.ts';
import { canonicalJson } from '../encoding/canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: '订单' }], c: undefined } })).toBe('{"a":{"d":[1,{"y":"订单","z":1}]},"b":1}');
  });
});

describe.each(STORE_KINDS)('AuditLog on %s', (kind) => {
  let store: TestDb | null;
  beforeAll(async () => {
    store = await openTestDb(kind);
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  async function fresh(): Promise<AuditLog> {
    await store!.db.run('DELETE FROM audit_log');
    return new AuditLog(store!.db);
  }

  async function seed(log: AuditLog, n: number): Promise<void> {
    for (let i = 1; i <= n; i++) {
      await log.append({ actor: 'admin', action: 'deadletter.replay', target: `deadletter:${i}`, details: { flow: '订单同步', attempt: i } });
    }
  }

  it('chains entries from the genesis hash and verifies them', async () => {
    if (!store) return;
    const log = await fresh();
    expect(await log.verify()).toEqual({ ok: true, count: 0 });
    const first = await log.append({ actor: '张三', action: 'config.apply', target: 'workspace', details: { digest: 'abc', files: 3 } });
    const second = await log.append({ actor: '张三', action: 'token.create', target: 'token:1' });
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(first.hash).toBe(entryHash(GENESIS_HASH, first));
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(second.details).toEqual({});
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
    expect(await log.head()).toEqual({ seq: 2, hash: second.hash });
  });

  it('masks credentials put into details by mistake', async () => {
    if (!store) return;
    const log = await fresh();
    const entry = await log.append({ actor: 'admin', action: 'config.write', target: 'systems/kingdee', details: { password: '金蝶密码', host: 'erp.local' } });
    expect(entry.details).toEqual({ password: '***', host: 'erp.local' });
    const raw = await store.db.get<{ details: string }>('SELECT details FROM audit_log WHERE seq = 1');
    expect(raw!.details).not.toContain('金蝶密码');
    await expect(log.append({ actor: 'admin', action: 'bad action' as 'x.y', target: 't' })).rejects.toMatchObject({ code: 'DT_API_BAD_REQUEST' });
  });

  it('detects an edited row at its seq', async () => {
    if (!store) return;
    const log = await fresh();
    await seed(log, 5);
    await store.db.run('UPDATE audit_log SET details = ? WHERE seq = 3', ['{"attempt":3,"flow":"退款同步"}']);
    expect(await log.verify()).toEqual({ ok: false, seq: 3, reason: 'hash does not match the entry content' });
    await expect(log.assertIntact()).rejects.toMatchObject({ code: 'DT_AUDIT_TAMPERED' });
  });

  it('detects an edited actor even when the attacker recomputes that row hash', async () => {
    if (!store) return;
    const log = await fresh();
    await seed(log, 4);
    const row = (await log.list({ limit: 10 })).entries.find((entry) => entry.seq === 2)!;
    const forged = { ...row, actor: '李四' };
    await store.db.run('UPDATE audit_log SET actor = ?, hash = ? WHERE seq = 2', ['李四', entryHash(row.prevHash, forged)]);
    // Row 2 is self-consistent now, but row 3 still points at the old hash.
    expect(await log.verify()).toMatchObject({ ok: false, seq: 3, reason: 'prev_hash does not match the previous entry' });
  });

  it('detects a deleted middle row as a gap', async () => {
    if (!store) return;
    const log = await fresh();
    await seed(log, 5);
    await store.db.run('DELETE FROM audit_log WHERE seq = 2');
    expect(await log.verify()).toEqual({ ok: false, seq: 2, reason: 'entry 2 is missing (next is 3)' });
  });

  it('detects reordered rows', async () => {
    if (!store) return;
    const log = await fresh();
    await seed(log, 4);
    // Swap the contents of entries 2 and 3, keeping each one's own hashes.
    await store.db.run('UPDATE audit_log SET seq = -3 WHERE seq = 3');
    await store.db.run('UPDATE audit_log SET seq = 3 WHERE seq = 2');
    await store.db.run('UPDATE audit_log SET seq = 2 WHERE seq = -3');
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, seq: 2 });
  });

  it('detects a forged tail whose hashes were not chained, and a cut tail against an anchor', async () => {
    if (!store) return;
    const log = await fresh();
    await seed(log, 3);
    const anchor = await log.head();
    await store.db.run('INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      4, Date.now(), 'mallory', 'token.create', 'token:x', '{}', 'f'.repeat(64), 'e'.repeat(64),
    ]);
    expect(await log.verify()).toMatchObject({ ok: false, seq: 4, reason: 'prev_hash does not match the previous entry' });
    await store.db.run('DELETE FROM audit_log WHERE seq >= 3');
    // Without an anchor a cut tail looks like a shorter, valid log; the anchor catches it.
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
    expect(await log.verify({ anchor })).toMatchObject({ ok: false, seq: 3 });
  });

  it('detects a whole chain rewritten from the start only through an anchor', async () => {
    if (!store) return;
    const log = await fresh();
    await seed(log, 2);
    const anchor = await log.head();
    const entries = (await log.list()).entries.reverse();
    let prev = GENESIS_HASH;
    for (const entry of entries) {
      const forged = { ...entry, actor: 'mallory' };
      const hash = entryHash(prev, forged);
      await store.db.run('UPDATE audit_log SET actor = ?, prev_hash = ?, hash = ? WHERE seq = ?', ['mallory', prev, hash, entry.seq]);
      prev = hash;
    }
    expect(await log.verify()).toEqual({ ok: true, count: 2 });
    expect(await log.verify({ anchor })).toEqual({ ok: false, seq: 2, reason: 'entry differs from the recorded anchor' });
  });

  it('commits the entry with the caller transaction and rolls it back with it', async () => {
    if (!store) return;
    const log = await fresh();
    await store.db.run("DELETE FROM cursors WHERE name = 'audit-tx'");
    await expect(
      store.db.transaction(async (tx) => {
        await tx.run("INSERT INTO cursors (name, value, updated_at) VALUES ('audit-tx', '1', 1)");
        await log.append({ actor: 'admin', action: 'deadletter.discard', target: 'deadletter:9' }, tx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await log.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
    await store.db.transaction(async (tx) => {
      await tx.run("INSERT INTO cursors (name, value, updated_at) VALUES ('audit-tx', '1', 1)");
      await log.append({ actor: 'admin', action: 'deadletter.discard', target: 'deadletter:9' }, tx);
    });
    expect((await log.head()).seq).toBe(1);
    expect(await store.db.get("SELECT value FROM cursors WHERE name = 'audit-tx'")).toEqual({ value: '1' });
  });

  it('pages newest first with a cursor and filters by action', async () => {
    if (!store) return;
    const log = await fresh();
    await seed(log, 5);
    await log.append({ actor: 'admin', action: 'trace.read', target: 'record:1' });
    const first = await log.list({ limit: 2 });
    expect(first.entries.map((entry) => entry.seq)).toEqual([6, 5]);
    const second = await log.list({ limit: 2, cursor: first.nextCursor });
    expect(second.entries.map((entry) => entry.seq)).toEqual([4, 3]);
    const last = await log.list({ limit: 2, cursor: second.nextCursor });
    expect(last.entries.map((entry) => entry.seq)).toEqual([2, 1]);
    expect(last.nextCursor).toBeUndefined();
    const reads = await log.list({ action: 'trace.read' });
    expect(reads.entries.map((entry) => entry.target)).toEqual(['record:1']);
    expect(reads.nextCursor).toBeUndefined();
    await expect(log.list({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'DT_API_BAD_CURSOR' });
  });

  // Two SQLite handles in one process would block each other's synchronous BEGIN IMMEDIATE;
  // a SQLite store belongs to one hub process, so there the appends share one handle.
  it(`keeps the chain valid under concurrent appends${kind === 'postgres' ? ' from two handles' : ''}`, async () => {
    if (!store) return;
    const log = await fresh();
    const other = kind === 'postgres' ? new AuditLog(store.open()) : log;
    const appends: Promise<unknown>[] = [];
    for (let i = 0; i < 25; i++) {
      appends.push(log.append({ actor: 'hub-a', action: 'deadletter.replay', target: `deadletter:a${i}` }));
      appends.push(other.append({ actor: 'hub-b', action: 'deadletter.replay', target: `deadletter:b${i}` }));
    }
    await Promise.all(appends);
    expect(await log.verify()).toEqual({ ok: true, count: 50 });
  });
});
