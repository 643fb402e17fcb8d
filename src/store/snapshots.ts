/**
 * Workspace snapshots: every `start`/`apply` that changes the workspace stores it whole under the
 * next number. Workers read flow definitions from the snapshot a record was accepted under.
 */
import type { Workspace } from '../workspace/schema.ts';
import type { Db } from './db.ts';

export interface Snapshot {
  id: number;
  createdAt: string;
  actor: string;
  source: string;
  digest: string;
  workspace: Workspace;
}

interface SnapshotRow {
  id: number;
  created_at: number;
  actor: string;
  source: string;
  digest: string;
  workspace: string;
}

function toSnapshot(row: SnapshotRow): Snapshot {
  return {
    id: Number(row.id),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    actor: row.actor,
    source: row.source,
    digest: row.digest,
    workspace: JSON.parse(row.workspace),
  };
}

/** Stores the workspace as a new snapshot unless the latest one has the same digest. */
export async function saveSnapshot(
  db: Db,
  input: { workspace: Workspace; digest: string; actor: string; source: string },
  onCreated?: (tx: Db, snapshot: Snapshot) => Promise<void>,
): Promise<{ snapshot: Snapshot; created: boolean }> {
  return db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(7878002)');
    const latest = await tx.get<SnapshotRow>('SELECT * FROM snapshots ORDER BY id DESC LIMIT 1');
    if (latest && latest.digest === input.digest) return { snapshot: toSnapshot(latest), created: false };
    const id = latest ? Number(latest.id) + 1 : 1;
    const now = Date.now();
    await tx.run('INSERT INTO snapshots (id, created_at, actor, source, digest, workspace) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      now,
      input.actor,
      input.source,
      input.digest,
      JSON.stringify(input.workspace),
    ]);
    const snapshot: Snapshot = { id, createdAt: new Date(now).toISOString(), actor: input.actor, source: input.source, digest: input.digest, workspace: input.workspace };
    await onCreated?.(tx, snapshot);
    return { snapshot, created: true };
  });
}

export async function latestSnapshot(db: Db): Promise<Snapshot | undefined> {
  const row = await db.get<SnapshotRow>('SELECT * FROM snapshots ORDER BY id DESC LIMIT 1');
  return row ? toSnapshot(row) : undefined;
}

export async function getSnapshot(db: Db, id: number): Promise<Snapshot | undefined> {
  const row = await db.get<SnapshotRow>('SELECT * FROM snapshots WHERE id = ?', [id]);
  return row ? toSnapshot(row) : undefined;
}

export async function listSnapshots(db: Db, limit: number): Promise<Omit<Snapshot, 'workspace'>[]> {
  const rows = await db.all<SnapshotRow>('SELECT id, created_at, actor, source, digest, \'{}\' AS workspace FROM snapshots ORDER BY id DESC LIMIT ?', [limit]);
  return rows.map((row) => {
    const { workspace: _omit, ...rest } = toSnapshot(row);
    return rest;
  });
}
