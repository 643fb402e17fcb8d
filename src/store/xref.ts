/**
 * The cross-reference: each record's id in each system, grouped under one canonical id per
 * business entity (sales-order, customer…).
 */
import { newId } from '../record/ids.ts';
import type { Db } from './db.ts';

export interface XrefEntry {
  entity: string;
  canonicalId: string;
  system: string;
  systemId: string;
  version: string | null;
  updatedAt: string;
}

interface XrefRow {
  entity: string;
  canonical_id: string;
  system: string;
  system_id: string;
  version: string | null;
  updated_at: number;
}

const toEntry = (row: XrefRow): XrefEntry => ({
  entity: row.entity,
  canonicalId: row.canonical_id,
  system: row.system,
  systemId: row.system_id,
  version: row.version,
  updatedAt: new Date(Number(row.updated_at)).toISOString(),
});

export async function findCanonicalId(db: Db, entity: string, system: string, systemId: string): Promise<string | undefined> {
  const row = await db.get<{ canonical_id: string }>('SELECT canonical_id FROM xref WHERE entity = ? AND system = ? AND system_id = ?', [entity, system, systemId]);
  return row?.canonical_id;
}

/**
 * Links `(system, systemId)` to the canonical id of `(fromSystem, fromId)`, creating the canonical
 * id on first sight. Returns the canonical id.
 */
export async function linkXref(
  tx: Db,
  link: { entity: string; fromSystem: string; fromId: string; system: string; systemId: string; version?: string },
  now = Date.now(),
): Promise<string> {
  const canonicalId = (await findCanonicalId(tx, link.entity, link.fromSystem, link.fromId)) ?? newId(now);
  const upsert = `INSERT INTO xref (entity, canonical_id, system, system_id, version, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (entity, system, system_id) DO UPDATE SET canonical_id = excluded.canonical_id, version = excluded.version, updated_at = excluded.updated_at`;
  await tx.run(upsert, [link.entity, canonicalId, link.fromSystem, link.fromId, link.version ?? null, now]);
  await tx.run(upsert, [link.entity, canonicalId, link.system, link.systemId, link.version ?? null, now]);
  return canonicalId;
}

export async function lookupXref(db: Db, entity: string, canonicalId: string): Promise<XrefEntry[]> {
  const rows = await db.all<XrefRow>('SELECT * FROM xref WHERE entity = ? AND canonical_id = ? ORDER BY system', [entity, canonicalId]);
  return rows.map(toEntry);
}

/** The id a record known in `system` has in `targetSystem`, if linked. */
export async function translateId(db: Db, entity: string, system: string, systemId: string, targetSystem: string): Promise<string | undefined> {
  const canonicalId = await findCanonicalId(db, entity, system, systemId);
  if (!canonicalId) return undefined;
  const row = await db.get<{ system_id: string }>('SELECT system_id FROM xref WHERE entity = ? AND canonical_id = ? AND system = ?', [entity, canonicalId, targetSystem]);
  return row?.system_id;
}

export async function unlinkXref(tx: Db, entity: string, system: string, systemId: string): Promise<boolean> {
  return (await tx.run('DELETE FROM xref WHERE entity = ? AND system = ? AND system_id = ?', [entity, system, systemId])).changes > 0;
}
