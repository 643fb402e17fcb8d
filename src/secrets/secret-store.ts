/**
 * Named secrets kept in the store's `secrets` table, always encrypted (AAD `secret:<name>`).
 * Clear text exists only in memory, between `get` and its caller. When an AuditLog is given,
 * every change is audited in the same transaction as the change itself (names only, never
 * values).
 */
import type { AuditLog } from '../audit/audit-log.ts';
import { DatongError } from '../errors/datong-error.ts';
import type { Db } from '../store/db.ts';
import { ciphertextKeyId, decrypt, encrypt } from './cipher.ts';
import type { Keyring } from './master-key.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._\-/]{0,199}$/;

export interface SecretInfo {
  name: string;
  /** Epoch ms. */
  updatedAt: number;
  /** Id of the master key the value is encrypted with. */
  keyId: string;
}

export interface SecretStoreOptions {
  db: Db;
  keyring: Keyring;
  audit?: AuditLog;
}

export interface ChangeOptions {
  /** Who made the change, for the audit log. */
  actor?: string;
  /** Run inside the caller's transaction. */
  tx?: Db;
}

export function secretAad(name: string): string {
  return `secret:${name}`;
}

export class SecretStore {
  private readonly db: Db;
  private readonly keyring: Keyring;
  private readonly audit?: AuditLog;

  constructor(options: SecretStoreOptions) {
    this.db = options.db;
    this.keyring = options.keyring;
    this.audit = options.audit;
  }

  async set(name: string, value: string, options: ChangeOptions = {}): Promise<void> {
    checkName(name);
    const ciphertext = encrypt(value, { keyring: this.keyring, aad: secretAad(name) });
    await this.change(options, async (tx) => {
      await tx.run(
        'INSERT INTO secrets (name, ciphertext, updated_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (name) DO UPDATE SET ciphertext = excluded.ciphertext, updated_at = excluded.updated_at',
        [name, ciphertext, Date.now()],
      );
      await this.audit?.append({ actor: options.actor ?? 'system', action: 'secret.set', target: `secret:${name}` }, tx);
    });
  }

  /** The clear value, or undefined when no secret has that name. */
  async get(name: string): Promise<string | undefined> {
    const row = await this.db.get<{ ciphertext: string }>('SELECT ciphertext FROM secrets WHERE name = ?', [name]);
    return row ? decrypt(row.ciphertext, { keyring: this.keyring, aad: secretAad(name) }) : undefined;
  }

  async list(): Promise<SecretInfo[]> {
    const rows = await this.db.all<{ name: string; ciphertext: string; updated_at: number }>(
      'SELECT name, ciphertext, updated_at FROM secrets ORDER BY name',
    );
    return rows.map((row) => ({ name: row.name, updatedAt: Number(row.updated_at), keyId: ciphertextKeyId(row.ciphertext) }));
  }

  /** True when a secret was deleted. */
  async delete(name: string, options: ChangeOptions = {}): Promise<boolean> {
    return this.change(options, async (tx) => {
      const { changes } = await tx.run('DELETE FROM secrets WHERE name = ?', [name]);
      if (changes > 0) await this.audit?.append({ actor: options.actor ?? 'system', action: 'secret.delete', target: `secret:${name}` }, tx);
      return changes > 0;
    });
  }

  private change<T>(options: ChangeOptions, fn: (tx: Db) => Promise<T>): Promise<T> {
    return options.tx ? fn(options.tx) : this.db.transaction(fn);
  }
}

/**
 * Re-encrypts every stored secret not yet under the active key (after a rotation). Runs in one
 * transaction; returns how many were rewritten. `enc:v1:` values in workspace files are not in
 * the store: they stay readable while their old key is in the keyring, and must be encrypted
 * again with the new key before that key is dropped.
 */
export async function reencryptAll(db: Db, keyring: Keyring): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.all<{ name: string; ciphertext: string }>('SELECT name, ciphertext FROM secrets ORDER BY name');
    let count = 0;
    for (const row of rows) {
      if (ciphertextKeyId(row.ciphertext) === keyring.active.id) continue;
      const aad = secretAad(row.name);
      const plain = decrypt(row.ciphertext, { keyring, aad });
      await tx.run('UPDATE secrets SET ciphertext = ?, updated_at = ? WHERE name = ?', [encrypt(plain, { keyring, aad }), Date.now(), row.name]);
      count++;
    }
    return count;
  });
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new DatongError('DT_SECRET_NAME', { params: { name } });
}
