import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ciphertextKeyId, decrypt, encrypt, isEncrypted } from './cipher.ts';
import { keyId, keyringOf } from './master-key.ts';

function ring(...keys: Buffer[]) {
  return keyringOf(keys.map((key) => ({ id: keyId(key), key })), 'env');
}

describe('encrypt / decrypt', () => {
  const keyring = ring(randomBytes(32));
  const aad = 'systems.kingdee.config.password';

  it('round-trips with a fresh IV each time, in the enc:v1 format', () => {
    const a = encrypt('金蝶密码-123', { keyring, aad });
    const b = encrypt('金蝶密码-123', { keyring, aad });
    expect(a).toMatch(new RegExp(`^enc:v1:${keyring.active.id}:[A-Za-z0-9+/]+=*$`));
    expect(a).not.toBe(b);
    expect(isEncrypted(a)).toBe(true);
    expect(ciphertextKeyId(a)).toBe(keyring.active.id);
    expect(decrypt(a, { keyring, aad })).toBe('金蝶密码-123');
    expect(decrypt(encrypt('', { keyring, aad }), { keyring, aad })).toBe('');
  });

  it('fails when the ciphertext is moved to another field (different AAD)', () => {
    const value = encrypt('secret', { keyring, aad });
    expect(() => decrypt(value, { keyring, aad: 'systems.yonyou.config.password' })).toThrow(expect.objectContaining({ code: 'DT_SECRET_DECRYPT' }));
  });

  it('fails on a tampered ciphertext', () => {
    const value = encrypt('secret', { keyring, aad });
    const [prefix, blob] = [value.slice(0, value.lastIndexOf(':') + 1), value.slice(value.lastIndexOf(':') + 1)];
    const bytes = Buffer.from(blob, 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => decrypt(prefix + bytes.toString('base64'), { keyring, aad })).toThrow(expect.objectContaining({ code: 'DT_SECRET_DECRYPT' }));
    expect(() => decrypt('enc:v1:nothex:AAAA', { keyring, aad })).toThrow(expect.objectContaining({ code: 'DT_SECRET_DECRYPT' }));
  });

  it('names the missing key when the key id is unknown', () => {
    const other = ring(randomBytes(32));
    const value = encrypt('secret', { keyring: other, aad });
    expect(() => decrypt(value, { keyring, aad })).toThrow(expect.objectContaining({ code: 'DT_SECRET_KEY_UNKNOWN', params: { keyId: other.active.id } }));
  });

  it('keeps old ciphertexts readable after rotation', () => {
    const old = randomBytes(32);
    const value = encrypt('旧密码', { keyring: ring(old), aad });
    const rotated = ring(randomBytes(32), old);
    expect(decrypt(value, { keyring: rotated, aad })).toBe('旧密码');
    expect(ciphertextKeyId(encrypt('新密码', { keyring: rotated, aad }))).toBe(rotated.active.id);
  });
});
