/**
 * Reads the hub's store from the test process, behind the hubs' backs: queue states, who holds
 * leases, whether the queue has drained. Opens the store with the project's own Db (SQLite in
 * WAL mode reads alongside a running hub; PostgreSQL is shared anyway).
 */
import type { Db } from '../../../src/store/db.ts';
import { openStore } from '../../../src/store/open-store.ts';

export type StateCounts = Record<'ready' | 'leased' | 'waiting' | 'done' | 'dead', number>;

export class StoreProbe {
  /** Over a handle the caller owns (`close()` leaves it open); `open` makes one of its own. */
  constructor(
    readonly db: Db,
    private readonly owned = false,
  ) {}

  static async open(url: string): Promise<StoreProbe> {
    return new StoreProbe(await openStore({ url }), true);
  }

  async states(flow?: string): Promise<StateCounts> {
    const rows = await this.db.all<{ state: keyof StateCounts; n: number }>(
      `SELECT state, COUNT(*) AS n FROM records ${flow ? 'WHERE flow = ?' : ''} GROUP BY state`,
      flow ? [flow] : [],
    );
    const counts: StateCounts = { ready: 0, leased: 0, waiting: 0, done: 0, dead: 0 };
    for (const row of rows) counts[row.state] = Number(row.n);
    return counts;
  }

  /** Records leased now; with `pid`, only those leased by the hub process with that pid (hub ids are host:pid:suffix). */
  async leased(pid?: number): Promise<{ id: string; lease_owner: string }[]> {
    const rows = await this.db.all<{ id: string; lease_owner: string }>(`SELECT id, lease_owner FROM records WHERE state = 'leased'`);
    return pid === undefined ? rows : rows.filter((row) => row.lease_owner.split(':').at(-2) === String(pid));
  }

  /** Waits until no record is ready, leased or waiting and `total` records exist (when given). */
  async waitDrained(options: { timeoutMs: number; total?: number; what?: string }): Promise<StateCounts> {
    const deadline = Date.now() + options.timeoutMs;
    let counts = await this.states();
    while (counts.ready + counts.leased + counts.waiting > 0 || (options.total !== undefined && sum(counts) < options.total)) {
      if (Date.now() > deadline) throw new Error(`queue not drained after ${options.timeoutMs} ms${options.what ? ` (${options.what})` : ''}: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      counts = await this.states();
    }
    return counts;
  }

  async close(): Promise<void> {
    if (this.owned) await this.db.close();
  }
}

function sum(counts: StateCounts): number {
  return counts.ready + counts.leased + counts.waiting + counts.done + counts.dead;
}
