/**
 * Secret values at rest: AES-256-GCM, a random 12-byte IV per value, written as
 * `enc:v1:<keyId>:<base64(iv | tag | ciphertext)>`. The additional authenticated data is
 * where the value lives (a config path such as `systems.kingdee.config.password`, or
 * `secret:<name>` in the secret store), so a ciphertext copied into another field fails to
 * decrypt instead of leaking one credential through another.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DatongError } from '../errors/datong-error.ts';
import type { Keyring } from './master-key.ts';

export const ENCRYPTED_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface CipherOptions {
  keyring: Keyring;
  /** Where the value lives; must be the same when decrypting. */
  aad: string;
}

export function isEncrypted(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ENCRYPTED_PREFIX);
}

export function encrypt(plain: string, options: CipherOptions): string {
  const { id, key } = options.keyring.active;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(options.aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${ENCRYPTED_PREFIX}${id}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
}

/** The key id a ciphertext was written with. */
export function ciphertextKeyId(ciphertext: string): string {
  return parse(ciphertext).keyId;
}

export function decrypt(ciphertext: string, options: CipherOptions): string {
  const { keyId, blob } = parse(ciphertext);
  const key = options.keyring.get(keyId);
  if (!key) throw new DatongError('DT_SECRET_KEY_UNKNOWN', { params: { keyId }, where: { path: options.aad } });
  const iv = blob.subarray(0, IV_BYTES);
  const tag = blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const body = blob.subarray(IV_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(options.aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new DatongError('DT_SECRET_DECRYPT', {
      params: { reason: 'authentication failed (altered, or moved from another field)' },
      where: { path: options.aad },
      cause: error,
    });
  }
}

function parse(ciphertext: string): { keyId: string; blob: Buffer } {
  const match = /^enc:v1:([0-9a-f]{8}):([A-Za-z0-9+/]+={0,2})$/.exec(ciphertext);
  const blob = match ? Buffer.from(match[2], 'base64') : undefined;
  if (!match || !blob || blob.length < IV_BYTES + TAG_BYTES) {
    throw new DatongError('DT_SECRET_DECRYPT', { params: { reason: `not an ${ENCRYPTED_PREFIX}<keyId>:<base64> value` } });
  }
  return { keyId: match[1], blob };
}
