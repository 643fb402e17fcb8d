/**
 * Cron for schedule-triggered flows, on the durable timers table: one timer per flow holds its
 * next fire time. Whoever leases a due timer fires it (once, even with several workers: the
 * lease plus a delivery id per scheduled time) and moves it to the next time. Runs missed while
 * no hub was up follow the flow's `missed` policy.
 */
import { Cron } from 'croner';
import type { Db } from '../store/db.ts';
import { deleteTimer, upsertTimer, type TimerRow } from '../store/timers.ts';
import type { Snapshot } from '../store/snapshots.ts';
import type { ScheduleTriggerSpec } from '../workspace/schema.ts';

/** A fire later than this after its scheduled time counts as missed. */
export const MISSED_AFTER_MS = 60_000;
const MAX_CATCH_UP_FIRES = 1000;

export interface CronTimerData {
  cron: string;
  timezone: string;
}

function cronOf(trigger: ScheduleTriggerSpec, defaultZone: string): Cron {
  return new Cron(trigger.cron, { timezone: trigger.timezone ?? defaultZone, paused: true });
}

export function nextFire(trigger: ScheduleTriggerSpec, defaultZone: string, after: number): number | undefined {
  return cronOf(trigger, defaultZone).nextRun(new Date(after))?.getTime();
}

/** Makes the cron timers match the snapshot: new flows get a timer, changed ones a new time, removed ones none. */
export async function syncSchedules(db: Db, snapshot: Snapshot, now = Date.now()): Promise<void> {
  const zone = snapshot.workspace.file.timezone ?? 'Asia/Shanghai';
  const wanted = new Set<string>();
  for (const [flowId, flow] of Object.entries(snapshot.workspace.flows)) {
    if (flow.enabled === false || flow.trigger.type !== 'schedule') continue;
    const id = `cron:${flowId}`;
    wanted.add(id);
    const data: CronTimerData = { cron: flow.trigger.cron, timezone: flow.trigger.timezone ?? zone };
    const existing = await db.get<{ data: string | null }>('SELECT data FROM timers WHERE id = ?', [id]);
    if (existing?.data === JSON.stringify(data)) continue;
    const due = nextFire(flow.trigger, zone, now);
    if (due !== undefined) await upsertTimer(db, { id, kind: 'cron', dueAt: due, ref: flowId, data });
  }
  const timers = await db.all<{ id: string }>(`SELECT id FROM timers WHERE kind = 'cron'`);
  for (const timer of timers) if (!wanted.has(timer.id)) await deleteTimer(db, timer.id);
}

/** The scheduled times to run now for a due cron timer, per the missed-run policy, and the next due time. */
export function firesFor(timer: TimerRow, trigger: ScheduleTriggerSpec, defaultZone: string, now: number): { fires: number[]; next: number | undefined } {
  const scheduled = Number(timer.due_at);
  const late = now - scheduled > MISSED_AFTER_MS;
  const policy = trigger.missed ?? 'once';
  let fires: number[];
  if (!late) fires = [scheduled];
  else if (policy === 'skip') fires = [];
  else if (policy === 'once') fires = [scheduled];
  else {
    fires = [];
    const cron = cronOf(trigger, defaultZone);
    for (let at: number | undefined = scheduled; at !== undefined && at <= now && fires.length < MAX_CATCH_UP_FIRES; at = cron.nextRun(new Date(at))?.getTime()) {
      fires.push(at);
    }
  }
  return { fires, next: nextFire(trigger, defaultZone, Math.max(now, scheduled)) };
}
