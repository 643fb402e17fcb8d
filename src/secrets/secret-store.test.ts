import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, STORE_KINDS, type TestDb } from '../../test/support/store-dbs.ts';
import { AuditLog } from '../audit/audit-log.ts';
import { ciphertextKeyId } from './cipher.ts';
import { keyId, keyringOf } from './master-key.ts';
import { reencryptAll, SecretStore } from './secret-store.ts';

function ring(...keys: Buffer[]) {
  return keyringOf(keys.map((key) => ({ id: keyId(key), key })), 'env');
}

describe.each(STORE_KINDS)('SecretStore on %s', (kind) => {
  let store: TestDb | null;
  const oldKey = randomBytes(32);
  beforeAll(async () => {
    store = await openTestDb(kind);
  });
  afterAll(async () => {
    await store?.cleanup();
  });
  beforeEach(async () => {
    await store?.db.run('DELETE FROM secrets');
    await store?.db.run('DELETE FROM audit_log');
  });

  it('stores values encrypted and never as clear text', async () => {
    if (!store) return;
    const secrets = new SecretStore({ db: store.db, keyring: ring(oldKey) });
    await secrets.set('kingdee/password', '金蝶-密码-Pa55');
    await secrets.set('wecom.secret', 'wecom-corp-secret-value');
    expect(await secrets.get('kingdee/password')).toBe('金蝶-密码-Pa55');
    expect(await secrets.get('nope')).toBeUndefined();
    const raw = await store.db.all<Record<string, unknown>>('SELECT * FROM secrets');
    const dump = JSON.stringify(raw);
    expect(raw).toHaveLength(2);
    expect(dump).not.toContain('金蝶-密码-Pa55');
    expect(dump).not.toContain('Pa55');
    expect(dump).not.toContain('wecom-corp-secret-value');
    expect(dump).not.toContain(Buffer.from('wecom-corp-secret-value').toString('base64').slice(0, 12));
    for (const row of raw) expect(String(row.ciphertext)).toMatch(/^enc:v1:[0-9a-f]{8}:/);
  });

  it('overwrites, lists names without values and deletes', async () => {
    if (!store) return;
    const secrets = new SecretStore({ db: store.db, keyring: ring(oldKey) });
    await secrets.set('erp.token', 'v1');
    await secrets.set('erp.token', 'v2');
    await secrets.set('crm.token', 'c1');
    expect(await secrets.get('erp.token')).toBe('v2');
    const list = await secrets.list();
    expect(list.map((item) => item.name)).toEqual(['crm.token', 'erp.token']);
    expect(JSON.stringify(list)).not.toContain('v2');
    expect(list[0].keyId).toBe(keyId(oldKey));
    expect(await secrets.delete('crm.token')).toBe(true);
    expect(await secrets.delete('crm.token')).toBe(false);
    expect((await secrets.list()).map((item) => item.name)).toEqual(['erp.token']);
  });

  it('refuses a row copied under another name', async () => {
    if (!store) return;
    const secrets = new SecretStore({ db: store.db, keyring: ring(oldKey) });
    await secrets.set('a', 'alpha');
    const row = await store.db.get<{ ciphertext: string }>("SELECT ciphertext FROM secrets WHERE name = 'a'");
    await store.db.run("INSERT INTO secrets (name, ciphertext, updated_at) VALUES ('b', ?, 1)", [row!.ciphertext]);
    await expect(secrets.get('b')).rejects.toMatchObject({ code: 'DT_SECRET_DECRYPT' });
  });

  it('rejects bad names', async () => {
    if (!store) return;
    const secrets = new SecretStore({ db: store.db, keyring: ring(oldKey) });
    await expect(secrets.set('', 'x')).rejects.toMatchObject({ code: 'DT_SECRET_NAME' });
    await expect(secrets.set('has space', 'x')).rejects.toMatchObject({ code: 'DT_SECRET_NAME' });
  });

  it('audits changes by name only, in the same transaction', async () => {
    if (!store) return;
    const audit = new AuditLog(store.db);
    const secrets = new SecretStore({ db: store.db, keyring: ring(oldKey), audit });
    await secrets.set('erp.password', 'p@ss', { actor: '王五' });
    await secrets.delete('erp.password', { actor: '王五' });
    await expect(
      store.db.transaction(async (tx) => {
        await secrets.set('erp.password', 'again', { actor: '王五', tx });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const entries = (await audit.list()).entries;
    expect(entries.map((entry) => [entry.action, entry.actor, entry.target])).toEqual([
      ['secret.delete', '王五', 'secret:erp.password'],
      ['secret.set', '王五', 'secret:erp.password'],
    ]);
    expect(JSON.stringify(entries)).not.toContain('p@ss');
    expect(await secrets.get('erp.password')).toBeUndefined();
    expect(await audit.verify()).toEqual({ ok: true, count: 2 });
  });

  it('re-encrypts under the active key after rotation, old values still readable before', async () => {
    if (!store) return;
    await new SecretStore({ db: store.db, keyring: ring(oldKey) }).set('erp.password', '旧值');
    const rotated = ring(randomBytes(32), oldKey);
    const secrets = new SecretStore({ db: store.db, keyring: rotated });
    expect(await secrets.get('erp.password')).toBe('旧值');
    await secrets.set('crm.password', '新值');
    expect(await reencryptAll(store.db, rotated)).toBe(1);
    expect(await reencryptAll(store.db, rotated)).toBe(0);
    const rows = await store.db.all<{ ciphertext: string }>('SELECT ciphertext FROM secrets');
    expect(rows.map((row) => ciphertextKeyId(row.ciphertext))).toEqual([rotated.active.id, rotated.active.id]);
    // The old key can now be dropped.
    const newOnly = ring(rotated.active.key);
    expect(await new SecretStore({ db: store.db, keyring: newOnly }).get('erp.password')).toBe('旧值');
  });
});
