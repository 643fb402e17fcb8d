import type { Db } from '../store/db.ts';
import { getSnapshot, type Snapshot } from '../store/snapshots.ts';
import { DatongError } from '../errors/datong-error.ts';
import type { ConnectorPool } from './connector-pool.ts';
import { compileFlowPlan, type FlowPlan } from './flow-plan.ts';

/** Compiled flow plans by (snapshot, flow), loading snapshots from the store as records need them. */
export class PlanCache {
  private readonly snapshots = new Map<number, Promise<Snapshot>>();
  private readonly plans = new Map<string, FlowPlan>();

  constructor(private readonly db: Db, private readonly pool: ConnectorPool) {}

  snapshot(id: number): Promise<Snapshot> {
    let snapshot = this.snapshots.get(id);
    if (!snapshot) {
      snapshot = getSnapshot(this.db, id).then((found) => {
        if (!found) throw new DatongError('DT_RUNTIME_INTERNAL', { params: { reason: `snapshot ${id} is missing from the store` } });
        return found;
      });
      snapshot.catch(() => this.snapshots.delete(id));
      this.snapshots.set(id, snapshot);
      if (this.snapshots.size > 20) this.snapshots.delete(this.snapshots.keys().next().value!);
    }
    return snapshot;
  }

  async plan(snapshotId: number, flow: string): Promise<FlowPlan> {
    const key = `${snapshotId}:${flow}`;
    let plan = this.plans.get(key);
    if (!plan) {
      const snapshot = await this.snapshot(snapshotId);
      plan = compileFlowPlan({ id: flow, snapshot: snapshotId, workspace: snapshot.workspace, pool: this.pool, db: this.db });
      if (this.plans.size > 200) this.plans.clear();
      this.plans.set(key, plan);
    }
    return plan;
  }
}
