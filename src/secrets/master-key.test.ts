import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFilePath, keyId, loadKeyring, MASTER_KEY_ENV, rotateKey } from './master-key.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'datong-key-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('loadKeyring from the key file', () => {
  it('creates master.key once with mode 0600 and reads the same key back', async () => {
    const dataDir = join(tempDir(), 'data');
    const first = await loadKeyring({ dataDir, env: {} });
    expect(first.source).toBe('file');
    expect(first.active.key.length).toBe(32);
    expect(first.active.id).toBe(keyId(first.active.key));
    expect(first.active.id).toMatch(/^[0-9a-f]{8}$/);
    expect(statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(keyFilePath(dataDir), 'utf8'));
    expect(file.active).toBe(first.active.id);
    const again = await loadKeyring({ dataDir, env: {} });
    expect(again.active.key.equals(first.active.key)).toBe(true);
  });

  it('gives one key to hubs starting at the same moment', async () => {
    const dataDir = tempDir();
    const rings = await Promise.all(Array.from({ length: 8 }, () => loadKeyring({ dataDir, env: {} })));
    expect(new Set(rings.map((ring) => ring.active.id)).size).toBe(1);
  });

  it('refuses a key file readable by group or others', async () => {
    const dataDir = tempDir();
    await loadKeyring({ dataDir, env: {} });
    chmodSync(keyFilePath(dataDir), 0o644);
    await expect(loadKeyring({ dataDir, env: {} })).rejects.toMatchObject({ code: 'DT_SECRET_KEY_FILE' });
    chmodSync(keyFilePath(dataDir), 0o640);
    await expect(loadKeyring({ dataDir, env: {} })).rejects.toThrow(/chmod 600/);
  });

  it('refuses a key file whose key does not match its id', async () => {
    const dataDir = tempDir();
    writeFileSync(keyFilePath(dataDir), JSON.stringify({ keys: [{ id: 'deadbeef', key: randomBytes(32).toString('base64') }], active: 'deadbeef' }), { mode: 0o600 });
    await expect(loadKeyring({ dataDir, env: {} })).rejects.toMatchObject({ code: 'DT_SECRET_KEY_FILE' });
  });

  it('rotates to a new active key and keeps the old ones', async () => {
    const dataDir = tempDir();
    const before = await loadKeyring({ dataDir, env: {} });
    const after = await rotateKey(dataDir);
    expect(after.active.id).not.toBe(before.active.id);
    expect(after.keys.map((key) => key.id)).toEqual([after.active.id, before.active.id]);
    expect(after.get(before.active.id)?.key.equals(before.active.key)).toBe(true);
    expect(statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    expect((await loadKeyring({ dataDir, env: {} })).active.id).toBe(after.active.id);
  });
});

describe('loadKeyring from DATONG_MASTER_KEY', () => {
  it('takes hex or base64 keys, the first one active, and writes no file', async () => {
    const dataDir = tempDir();
    const newer = randomBytes(32);
    const older = randomBytes(32);
    const ring = await loadKeyring({ dataDir, env: { [MASTER_KEY_ENV]: `${newer.toString('hex')}, ${older.toString('base64')}` } });
    expect(ring.source).toBe('env');
    expect(ring.active.key.equals(newer)).toBe(true);
    expect(ring.get(keyId(older))?.key.equals(older)).toBe(true);
    expect(() => statSync(keyFilePath(dataDir))).toThrow();
  });

  it('rejects a key that is not 32 bytes', async () => {
    await expect(loadKeyring({ dataDir: tempDir(), env: { [MASTER_KEY_ENV]: randomBytes(16).toString('hex') } })).rejects.toMatchObject({
      code: 'DT_SECRET_KEY_INVALID',
    });
    await expect(loadKeyring({ dataDir: tempDir(), env: { [MASTER_KEY_ENV]: '不是密钥' } })).rejects.toMatchObject({ code: 'DT_SECRET_KEY_INVALID' });
  });
});
