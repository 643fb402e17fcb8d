/**
 * Reads the hub's queue from outside the hub process (its own connection to the store), so the
 * benchmark's bookkeeping never runs on the hub's event loop.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export interface StoreProbe {
  /** Records not finished yet: ready, leased or waiting for a retry. */
  backlog(): Promise<number>;
  /** Records completed as done. */
  done(): Promise<number>;
  close(): Promise<void>;
}

const BACKLOG = `SELECT COUNT(*) AS n FROM records WHERE state IN ('ready', 'leased', 'waiting')`;
const DONE = `SELECT COUNT(*) AS n FROM records WHERE state = 'done'`;

export function sqliteProbe(path: string): StoreProbe {
  const db = new Database(path, { readonly: true });
  db.pragma('busy_timeout = 5000');
  const backlog = db.prepare(BACKLOG);
  const done = db.prepare(DONE);
  return {
    backlog: async () => Number((backlog.get() as { n: number }).n),
    done: async () => Number((done.get() as { n: number }).n),
    close: async () => {
      db.close();
    },
  };
}

export async function postgresProbe(url: string): Promise<StoreProbe> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const count = async (sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  return {
    backlog: () => count(BACKLOG),
    done: () => count(DONE),
    close: () => client.end(),
  };
}
