/**
 * The append-only, tamper-evident audit log. Each entry's hash is
 * sha256(prev_hash + canonical JSON of {seq, at, actor, action, target, details}); seq counts
 * from 1 without gaps and the first prev_hash is 64 zeros. `verify` recomputes the chain and
 * finds an edited, deleted, reordered or badly forged entry.
 *
 * Limit: the chain proves internal consistency only. Someone with write access to the store
 * can rewrite the whole chain from the edit onwards, or cut its tail. `head()` gives the
 * latest seq and hash so operators can record it outside the store (a ticket, another
 * system, a daily mail); `verify({ anchor })` then proves the recorded entry is still there
 * unchanged.
 */
import { createHash } from 'node:crypto';
import { DatongError } from '../errors/datong-error.ts';
import type { Db } from '../store/db.ts';
import { canonicalJson } from '../encoding/canonical-json.ts';

export const GENESIS_HASH = '0'.repeat(64);
/** pg_advisory_xact_lock key serialising appends across hub processes (migrate uses 7878001). */
const APPEND_LOCK = 7878010;

/** The actions the hub audits; others follow the same `<area>.<verb>` form. */
export const AUDIT_ACTIONS = [
  'config.apply',
  'config.write',
  'deadletter.discard',
  'deadletter.edit',
  'deadletter.replay',
  'key.rotate',
  'secret.delete',
  'secret.set',
  'token.create',
  'token.revoke',
  'trace.read',
] as const;
export type KnownAuditAction = (typeof AUDIT_ACTIONS)[number];
export type AuditAction = KnownAuditAction | `${string}.${string}`;

export interface AuditInput {
  /** Who: a token name/id, `system`, or a user from SSO. */
  actor: string;
  action: AuditAction;
  /** What it was done to, e.g. `flow:订单同步`, `deadletter:01J…`, `token:01J…`. */
  target: string;
  /** JSON-serialisable facts. Never secret values: the log cannot be edited to remove them. */
  details?: object;
}

export interface AuditEntry {
  seq: number;
  /** Epoch ms. */
  at: number;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export type VerifyResult = { ok: true; count: number } | { ok: false; seq: number; reason: string };

export interface ListOptions {
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  action?: string;
  actor?: string;
  target?: string;
}

export interface AuditPage {
  /** Newest first. */
  entries: AuditEntry[];
  nextCursor?: string;
}

interface AuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string;
  details: string;
  prev_hash: string;
  hash: string;
}

const ACTION = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const SECRET_KEY = /^(password|passwd|secret|token|api[_-]?key|client[_-]?secret|authorization|private[_-]?key)$/i;
const VERIFY_PAGE = 1000;

export function entryHash(prevHash: string, entry: Pick<AuditEntry, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'details'>): string {
  const { seq, at, actor, action, target, details } = entry;
  return createHash('sha256')
    .update(prevHash + canonicalJson({ seq, at, actor, action, target, details }))
    .digest('hex');
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  /**
   * Appends one entry. Pass the caller's transaction as `tx` so the audited change and its
   * entry commit (or roll back) together; `tx` must then be a transaction handle, not the
   * pooled Db, or the PostgreSQL lock would not be held until commit.
   */
  async append(input: AuditInput, tx?: Db): Promise<AuditEntry> {
    if (!ACTION.test(input.action)) {
      throw new DatongError('DT_API_BAD_REQUEST', { params: { reason: `audit action "${input.action}" is not <area>.<verb>` } });
    }
    const details = scrub(JSON.parse(canonicalJson(input.details ?? {}))) as Record<string, unknown>;
    const write = async (t: Db): Promise<AuditEntry> => {
      // Several hubs may share one PostgreSQL store; SQLite's BEGIN IMMEDIATE already serialises.
      if (t.dialect === 'postgres') await t.run(`SELECT pg_advisory_xact_lock(${APPEND_LOCK})`);
      const last = await t.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      const seq = last ? Number(last.seq) + 1 : 1;
      const prevHash = last?.hash ?? GENESIS_HASH;
      const entry = { seq, at: Date.now(), actor: input.actor, action: input.action, target: input.target, details };
      const hash = entryHash(prevHash, entry);
      await t.run(
        'INSERT INTO audit_log (seq, at, actor, action, target, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [seq, entry.at, entry.actor, entry.action, entry.target, canonicalJson(details), prevHash, hash],
      );
      return { ...entry, prevHash, hash };
    };
    return tx ? write(tx) : this.db.transaction(write);
  }

  async list(options: ListOptions = {}): Promise<AuditPage> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 500);
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.cursor !== undefined) {
      where.push('seq < ?');
      params.push(decodeCursor(options.cursor));
    }
    for (const column of ['action', 'actor', 'target'] as const) {
      if (options[column] !== undefined) {
        where.push(`${column} = ?`);
        params.push(options[column]);
      }
    }
    const rows = await this.db.all<AuditRow>(
      `SELECT * FROM audit_log${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
      [...params, limit + 1],
    );
    const entries = rows.slice(0, limit).map(toEntry);
    return rows.length > limit ? { entries, nextCursor: encodeCursor(entries[entries.length - 1].seq) } : { entries };
  }

  /** The latest entry's seq and hash (seq 0 and the genesis hash when the log is empty). */
  async head(): Promise<AuditHead> {
    const last = await this.db.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    return last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /** Walks the whole chain in pages; with an anchor, also checks that entry still has that hash. */
  async verify(options: { anchor?: AuditHead } = {}): Promise<VerifyResult> {
    let expected = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const rows = await this.db.all<AuditRow>('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?', [expected, VERIFY_PAGE]);
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== expected) return { ok: false, seq: expected, reason: `entry ${expected} is missing (next is ${seq})` };
        if (row.prev_hash !== prevHash) return { ok: false, seq, reason: 'prev_hash does not match the previous entry' };
        let details: unknown;
        try {
          details = JSON.parse(row.details);
        } catch {
          return { ok: false, seq, reason: 'details are not valid JSON' };
        }
        const entry = { seq, at: Number(row.at), actor: row.actor, action: row.action, target: row.target, details: details as Record<string, unknown> };
        if (entryHash(prevHash, entry) !== row.hash) return { ok: false, seq, reason: 'hash does not match the entry content' };
        if (options.anchor && options.anchor.seq === seq && options.anchor.hash !== row.hash) {
          return { ok: false, seq, reason: 'entry differs from the recorded anchor' };
        }
        prevHash = row.hash;
        expected++;
      }
      if (rows.length < VERIFY_PAGE) break;
    }
    // A missing entry below seq 1 can't exist, but rows with seq < 1 would be forged.
    const stray = await this.db.get<{ seq: number }>('SELECT seq FROM audit_log WHERE seq < 1 LIMIT 1');
    if (stray) return { ok: false, seq: Number(stray.seq), reason: 'entry with a seq below 1' };
    if (options.anchor && options.anchor.seq >= expected) {
      return { ok: false, seq: options.anchor.seq, reason: `the anchored entry is gone (the log ends at ${expected - 1})` };
    }
    return { ok: true, count: expected - 1 };
  }

  /** `verify()` that throws DT_AUDIT_TAMPERED, for start-up and health checks. */
  async assertIntact(options: { anchor?: AuditHead } = {}): Promise<number> {
    const result = await this.verify(options);
    if (!result.ok) throw new DatongError('DT_AUDIT_TAMPERED', { params: { seq: result.seq, reason: result.reason } });
    return result.count;
  }
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    target: row.target,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A last line of defence: credentials a caller put into details by mistake are masked. */
function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) && typeof item === 'string' ? '***' : scrub(item)]),
  );
}

function encodeCursor(seq: number): string {
  return Buffer.from(`a:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^a:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new DatongError('DT_API_BAD_CURSOR');
  return Number(match[1]);
}
