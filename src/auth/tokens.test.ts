import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openTestDb, STORE_KINDS, type TestDb } from '../../test/support/store-dbs.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { createToken, ensureAdminToken, hashToken, listTokens, revokeToken, verifyToken } from './tokens.ts';

describe.each(STORE_KINDS)('API tokens on %s', (kind) => {
  let store: TestDb | null;
  let audit: AuditLog;
  beforeAll(async () => {
    store = await openTestDb(kind);
    if (store) audit = new AuditLog(store.db);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await store?.cleanup();
  });
  beforeEach(async () => {
    await store?.db.run('DELETE FROM api_tokens');
    await store?.db.run('DELETE FROM audit_log');
  });

  it('creates a dt_<id>_<secret> token stored only as its SHA-256, and audits it', async () => {
    if (!store) return;
    const { id, token } = await createToken(store.db, { name: '财务系统对接', role: 'operator', createdBy: 'admin' }, audit);
    expect(token).toMatch(new RegExp(`^dt_${id}_[A-Za-z0-9_-]{43}$`));
    const row = await store.db.get<Record<string, unknown>>('SELECT * FROM api_tokens WHERE id = ?', [id]);
    expect(row!.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(-43));
    const [entry] = (await audit.list()).entries;
    expect(entry).toMatchObject({ action: 'token.create', actor: 'admin', target: `token:${id}`, details: { name: '财务系统对接', role: 'operator' } });
    expect(JSON.stringify(entry)).not.toContain(token.slice(-43));
  });

  it('verifies the exact token only', async () => {
    if (!store) return;
    const { id, token } = await createToken(store.db, { name: 'ci', role: 'viewer', createdBy: 'admin' }, audit);
    expect(await verifyToken(store.db, token)).toEqual({ id, name: 'ci', role: 'viewer' });
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    expect(await verifyToken(store.db, token.slice(0, -1) + last)).toBeNull();
    expect(await verifyToken(store.db, token + 'x')).toBeNull();
    expect(await verifyToken(store.db, `dt_01ARZ3NDEKTSV4RRFFQ69G5FAV_${token.slice(-43)}`)).toBeNull();
    expect(await verifyToken(store.db, '')).toBeNull();
    expect(await verifyToken(store.db, hashToken(token))).toBeNull();
  });

  it('updates last_used_at at most once a minute', async () => {
    if (!store) return;
    const { id, token } = await createToken(store.db, { name: 'poller', role: 'viewer', createdBy: 'admin' }, audit);
    const lastUsed = async () => (await listTokens(store!.db)).find((info) => info.id === id)!.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2025-03-01T09:00:00+08:00'));
      await verifyToken(store.db, token);
      const first = await lastUsed();
      expect(first).toBe(Date.parse('2025-03-01T09:00:00+08:00'));
      vi.setSystemTime(new Date('2025-03-01T09:00:59+08:00'));
      await verifyToken(store.db, token);
      expect(await lastUsed()).toBe(first);
      vi.setSystemTime(new Date('2025-03-01T09:01:01+08:00'));
      await verifyToken(store.db, token);
      expect(await lastUsed()).toBe(Date.parse('2025-03-01T09:01:01+08:00'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('revokes, audits the revocation, and lists tokens without hashes', async () => {
    if (!store) return;
    const a = await createToken(store.db, { name: 'a', role: 'admin', createdBy: 'admin' }, audit);
    const b = await createToken(store.db, { name: 'b', role: 'viewer', createdBy: 'admin' }, audit);
    expect(await revokeToken(store.db, { id: a.id, revokedBy: '张三' }, audit)).toBe(true);
    expect(await revokeToken(store.db, { id: a.id, revokedBy: '张三' }, audit)).toBe(false);
    expect(await revokeToken(store.db, { id: 'nope', revokedBy: '张三' }, audit)).toBe(false);
    expect(await verifyToken(store.db, a.token)).toBeNull();
    expect(await verifyToken(store.db, b.token)).not.toBeNull();
    const all = await listTokens(store.db);
    expect(all.map((info) => info.name)).toEqual(['b', 'a']);
    expect(all[1].revokedAt).toEqual(expect.any(Number));
    expect(JSON.stringify(all)).not.toContain(hashToken(a.token));
    expect((await listTokens(store.db, { includeRevoked: false })).map((info) => info.name)).toEqual(['b']);
    const actions = (await audit.list()).entries.map((entry) => [entry.action, entry.actor]);
    expect(actions).toEqual([
      ['token.revoke', '张三'],
      ['token.create', 'admin'],
      ['token.create', 'admin'],
    ]);
    expect(await audit.verify()).toEqual({ ok: true, count: 3 });
  });

  it('rejects a bad role or name', async () => {
    if (!store) return;
    await expect(createToken(store.db, { name: 'x', role: 'root' as 'admin', createdBy: 'admin' }, audit)).rejects.toMatchObject({ code: 'DT_API_BAD_REQUEST' });
    await expect(createToken(store.db, { name: '  ', role: 'viewer', createdBy: 'admin' }, audit)).rejects.toMatchObject({ code: 'DT_API_BAD_REQUEST' });
    expect(await listTokens(store.db)).toEqual([]);
  });

  it('creates the initial admin token once', async () => {
    if (!store) return;
    const first = await ensureAdminToken(store.db, audit);
    expect(first).not.toBeNull();
    expect(await verifyToken(store.db, first!.token)).toMatchObject({ name: 'initial-admin', role: 'admin' });
    expect(await ensureAdminToken(store.db, audit)).toBeNull();
    await revokeToken(store.db, { id: first!.id, revokedBy: 'admin' }, audit);
    expect(await ensureAdminToken(store.db, audit)).toBeNull();
  });

  it.runIf(kind === 'postgres')('creates one initial admin token when hubs start together', async () => {
    if (!store) return;
    const handles = [store.db, store.open(), store.open()];
    const results = await Promise.all(handles.map((db) => ensureAdminToken(db, new AuditLog(db))));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await listTokens(store.db)).toHaveLength(1);
  });
});
