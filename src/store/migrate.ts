import { DatongError } from '../errors/datong-error.ts';
import type { Db } from './db.ts';
import { MIGRATIONS, migrationStatements } from './migrations.ts';

/**
 * Applies pending migrations. Safe when several hubs start at once on one PostgreSQL store:
 * an advisory lock lets one of them migrate while the others wait.
 */
export async function migrate(db: Db): Promise<number[]> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    if (tx.dialect === 'postgres') await tx.run('SELECT pg_advisory_xact_lock(7878001)');
    const rows = await tx.all<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((row) => Number(row.version)));
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      try {
        for (const statement of migrationStatements(migration, tx.dialect)) await tx.exec(statement);
      } catch (error) {
        throw new DatongError('DT_STORE_MIGRATION', {
          params: { version: migration.version, reason: (error as Error).message },
          cause: error,
        });
      }
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()]);
      applied.push(migration.version);
    }
  });
  return applied;
}
