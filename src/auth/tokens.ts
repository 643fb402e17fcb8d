/**
 * API tokens. A token is `dt_<id>_<43 base64url chars>` (256 random bits); the clear token is
 * returned once, at creation, and only its SHA-256 is stored, so a leaked store does not leak
 * usable tokens. The id inside the token finds the row; the hash comparison is constant-time.
 * Creating and revoking are audited in the same transaction as the change.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import { DatongError } from '../errors/datong-error.ts';
import { newId } from '../record/ids.ts';
import type { Db } from '../store/db.ts';
import { isRole, type Role } from './roles.ts';

const TOKEN = /^dt_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;
/** last_used_at is written at most this often per token, to keep reads from becoming writes. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** pg_advisory_xact_lock key so hubs starting together create one initial admin token. */
const INITIAL_ADMIN_LOCK = 7878011;
export const INITIAL_ADMIN_NAME = 'initial-admin';

export interface NewToken {
  id: string;
  /** The clear token: show it once, it cannot be recovered. */
  token: string;
}

export interface VerifiedToken {
  id: string;
  name: string;
  role: Role;
}

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  /** Epoch ms. */
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface CreateTokenInput {
  name: string;
  role: Role;
  /** The actor creating it (for the row and the audit log). */
  createdBy: string;
  /** Run inside the caller's transaction. */
  tx?: Db;
}

interface TokenRow {
  id: string;
  name: string;
  token_hash: string;
  role: string;
  created_at: number;
  created_by: string;
  last_used_at: number | null;
  revoked_at: number | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function createToken(db: Db, input: CreateTokenInput, audit: AuditLog): Promise<NewToken> {
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new DatongError('DT_API_BAD_REQUEST', { params: { reason: 'token name must be 1–100 characters' } });
  if (!isRole(input.role)) throw new DatongError('DT_API_BAD_REQUEST', { params: { reason: `unknown role "${String(input.role)}"` } });
  const id = newId();
  const token = `dt_${id}_${randomBytes(32).toString('base64url')}`;
  const insert = async (tx: Db) => {
    await tx.run('INSERT INTO api_tokens (id, name, token_hash, role, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      name,
      hashToken(token),
      input.role,
      Date.now(),
      input.createdBy,
    ]);
    await audit.append({ actor: input.createdBy, action: 'token.create', target: `token:${id}`, details: { name, role: input.role } }, tx);
  };
  await (input.tx ? insert(input.tx) : db.transaction(insert));
  return { id, token };
}

/**
 * The token's identity when it is well-formed, known, not revoked and matches its hash;
 * otherwise null (callers answer 401 without saying which check failed).
 */
export async function verifyToken(db: Db, presented: string): Promise<VerifiedToken | null> {
  const match = TOKEN.exec(presented);
  if (!match) return null;
  const row = await db.get<TokenRow>('SELECT id, name, token_hash, role, last_used_at, revoked_at FROM api_tokens WHERE id = ?', [match[1]]);
  const presentedHash = Buffer.from(hashToken(presented), 'hex');
  // Compare against something even for an unknown id, so timing says nothing about ids.
  const storedHash = Buffer.from(row?.token_hash ?? '0'.repeat(64), 'hex');
  const equal = storedHash.length === presentedHash.length && timingSafeEqual(storedHash, presentedHash);
  if (!row || !equal || row.revoked_at !== null || !isRole(row.role)) return null;
  const now = Date.now();
  if (row.last_used_at === null || now - Number(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
    // Conditional, so hubs verifying the same token at once write it once.
    await db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)', [
      now,
      row.id,
      now - LAST_USED_RESOLUTION_MS,
    ]);
  }
  return { id: row.id, name: row.name, role: row.role };
}

export interface RevokeTokenInput {
  id: string;
  revokedBy: string;
  tx?: Db;
}

/** True when an active token was revoked; false when unknown or already revoked. */
export async function revokeToken(db: Db, input: RevokeTokenInput, audit: AuditLog): Promise<boolean> {
  const revoke = async (tx: Db) => {
    const { changes } = await tx.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [Date.now(), input.id]);
    if (changes > 0) await audit.append({ actor: input.revokedBy, action: 'token.revoke', target: `token:${input.id}` }, tx);
    return changes > 0;
  };
  return input.tx ? revoke(input.tx) : db.transaction(revoke);
}

/** All tokens, newest first, without their hashes. */
export async function listTokens(db: Db, options: { includeRevoked?: boolean } = {}): Promise<TokenInfo[]> {
  const rows = await db.all<TokenRow>(
    `SELECT id, name, role, created_at, created_by, last_used_at, revoked_at FROM api_tokens${options.includeRevoked === false ? ' WHERE revoked_at IS NULL' : ''} ORDER BY id DESC`,
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    role: row.role as Role,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  }));
}

/**
 * On a store that has never had a token, creates admin token `initial-admin` and returns it
 * so the first start can print it once; otherwise null. Revoked tokens count as having had
 * one: revoking every admin token does not make a restart mint a new one.
 */
export async function ensureAdminToken(db: Db, audit: AuditLog): Promise<NewToken | null> {
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.run(`SELECT pg_advisory_xact_lock(${INITIAL_ADMIN_LOCK})`);
    const any = await tx.get('SELECT id FROM api_tokens LIMIT 1');
    if (any) return null;
    return createToken(db, { name: INITIAL_ADMIN_NAME, role: 'admin', createdBy: 'system', tx }, audit);
  });
}
