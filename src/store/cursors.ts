/** Durable read positions of sources, written in the transaction that accepts what was read. */
import type { Db } from './db.ts';

export async function getCursor(db: Db, name: string): Promise<string | null> {
  const row = await db.get<{ value: string | null }>('SELECT value FROM cursors WHERE name = ?', [name]);
  return row?.value ?? null;
}

export async function setCursor(tx: Db, name: string, value: string | null, now = Date.now()): Promise<void> {
  await tx.run(
    'INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
    [name, value, now],
  );
}
