/**
 * The master keys that encrypt secrets at rest. They come from `DATONG_MASTER_KEY` (one or
 * more comma-separated 32-byte keys, base64 or hex, the first active) or else from the key
 * file `<dataDir>/master.key`, created on first start with mode 0600. Rotation adds a new
 * active key and keeps the old ones so existing ciphertexts stay readable until
 * `reencryptAll` has moved them to the new key.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatongError } from '../errors/datong-error.ts';

export const MASTER_KEY_ENV = 'DATONG_MASTER_KEY';
export const KEY_FILE_NAME = 'master.key';
const KEY_BYTES = 32;

export interface MasterKey {
  /** First 8 hex digits of sha256(key): names the key inside ciphertexts without revealing it. */
  readonly id: string;
  readonly key: Buffer;
  readonly createdAt?: string;
}

export interface Keyring {
  /** The key new ciphertexts are written with. */
  readonly active: MasterKey;
  /** All keys, active first. */
  readonly keys: readonly MasterKey[];
  readonly source: 'env' | 'file';
  get(id: string): MasterKey | undefined;
}

interface KeyFile {
  keys: { id: string; key: string; createdAt: string }[];
  active: string;
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Decodes one key given as 64 hex digits or base64/base64url of 32 bytes. */
export function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : undefined;
  if (!key || key.length !== KEY_BYTES) {
    throw new DatongError('DT_SECRET_KEY_INVALID', {
      params: { source, reason: `expected ${KEY_BYTES} bytes as 64 hex digits or base64` },
    });
  }
  return key;
}

export function keyringOf(keys: readonly MasterKey[], source: Keyring['source']): Keyring {
  if (keys.length === 0) throw new DatongError('DT_SECRET_KEY_INVALID', { params: { source, reason: 'no keys' } });
  const byId = new Map(keys.map((key) => [key.id, key]));
  return { active: keys[0], keys, source, get: (id) => byId.get(id) };
}

export interface LoadKeyringOptions {
  dataDir: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Loads the keyring; creates the key file with a fresh key when neither source exists yet. */
export async function loadKeyring(options: LoadKeyringOptions): Promise<Keyring> {
  const fromEnv = (options.env ?? process.env)[MASTER_KEY_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const keys = fromEnv
      .split(',')
      .filter((part) => part.trim() !== '')
      .map((part, index) => {
        const key = parseKey(part, `${MASTER_KEY_ENV} (key ${index + 1})`);
        return { id: keyId(key), key };
      });
    return keyringOf(keys, 'env');
  }
  const path = keyFilePath(options.dataDir);
  const existing = await readKeyFile(path);
  if (existing) return existing;
  await createKeyFile(path, { keys: [], active: '' });
  return (await readKeyFile(path))!;
}

/**
 * Adds a new active key to the key file, keeping the old ones. Not for env-held keys: there
 * the operator prepends a new key to DATONG_MASTER_KEY. Several hubs sharing a store must
 * all be restarted with the new key before `reencryptAll` runs.
 */
export async function rotateKey(dataDir: string): Promise<Keyring> {
  const path = keyFilePath(dataDir);
  const current = await readKeyFile(path);
  if (!current) {
    await createKeyFile(path, { keys: [], active: '' });
    return (await readKeyFile(path))!;
  }
  const fresh = newKeyEntry();
  const file: KeyFile = {
    keys: [fresh, ...current.keys.map((key) => ({ id: key.id, key: key.key.toString('base64'), createdAt: key.createdAt ?? '' }))],
    active: fresh.id,
  };
  // Write beside, then rename over: readers see the old file or the new one, never half of one.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return (await readKeyFile(path))!;
}

export function keyFilePath(dataDir: string): string {
  return join(dataDir, KEY_FILE_NAME);
}

function newKeyEntry(): KeyFile['keys'][number] {
  const key = randomBytes(KEY_BYTES);
  return { id: keyId(key), key: key.toString('base64'), createdAt: new Date().toISOString() };
}

/**
 * Writes a temp file then hard-links it into place: `link` fails when the file exists, so of
 * several hubs starting at once exactly one creates the key and the others read it — and no
 * one ever reads a half-written file.
 */
async function createKeyFile(path: string, base: KeyFile): Promise<void> {
  const fresh = newKeyEntry();
  const file: KeyFile = { keys: [fresh, ...base.keys], active: fresh.id };
  await mkdir(join(path, '..'), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  try {
    await chmod(temp, 0o600);
    await link(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

async function readKeyFile(path: string): Promise<Keyring | undefined> {
  let text: string;
  try {
    const info = await stat(path);
    // POSIX permission bits only; Windows has no group/other bits to check.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw keyFileError(path, `readable by group or others (mode ${(info.mode & 0o777).toString(8)}); run chmod 600`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (error instanceof DatongError) throw error;
    throw keyFileError(path, (error as Error).message, error);
  }
  let file: KeyFile;
  try {
    file = JSON.parse(text) as KeyFile;
  } catch (error) {
    throw keyFileError(path, 'not valid JSON', error);
  }
  if (!file || !Array.isArray(file.keys) || file.keys.length === 0) throw keyFileError(path, 'holds no keys');
  const keys = file.keys.map((entry, index): MasterKey => {
    const key = parseKey(String(entry?.key ?? ''), `${path} (key ${index + 1})`);
    const id = keyId(key);
    if (entry.id !== id) throw keyFileError(path, `key ${index + 1} has id ${entry.id} but its digest gives ${id}`);
    return { id, key, createdAt: entry.createdAt };
  });
  const active = keys.find((key) => key.id === file.active);
  if (!active) throw keyFileError(path, `active key ${file.active} is not in the file`);
  return keyringOf([active, ...keys.filter((key) => key !== active)], 'file');
}

function keyFileError(path: string, reason: string, cause?: unknown): DatongError {
  return new DatongError('DT_SECRET_KEY_FILE', { params: { path, reason }, cause });
}
