import { describe, expect, it } from 'vitest';
import { firesFor, MISSED_AFTER_MS, nextFire } from './schedules.ts';
import type { TimerRow } from '../store/timers.ts';
import type { ScheduleTriggerSpec } from '../workspace/schema.ts';

const at = (iso: string) => Date.parse(iso);
const timer = (dueIso: string): TimerRow => ({ id: 'cron:f', kind: 'cron', due_at: at(dueIso), ref: 'f', data: null });
const hourly = (missed?: ScheduleTriggerSpec['missed']): ScheduleTriggerSpec => ({ type: 'schedule', cron: '0 * * * *', ...(missed ? { missed } : {}) });

describe('cron schedules', () => {
  it('computes the next fire in the flow time zone', () => {
    const daily: ScheduleTriggerSpec = { type: 'schedule', cron: '30 2 * * *' };
    expect(new Date(nextFire(daily, 'Asia/Shanghai', at('2026-11-22T00:00:00Z'))!).toISOString()).toBe('2026-11-22T18:30:00.000Z');
    expect(new Date(nextFire({ ...daily, timezone: 'UTC' }, 'Asia/Shanghai', at('2026-11-22T00:00:00Z'))!).toISOString()).toBe('2026-11-22T02:30:00.000Z');
  });

  it('fires an on-time timer once and moves it to the next time', () => {
    const result = firesFor(timer('2026-11-22T10:00:00Z'), hourly('skip'), 'UTC', at('2026-11-22T10:00:01Z'));
    expect(result.fires).toEqual([at('2026-11-22T10:00:00Z')]);
    expect(result.next).toBe(at('2026-11-22T11:00:00Z'));
  });

  it('applies the missed-run policy after downtime', () => {
    const now = at('2026-11-22T13:30:00Z');
    const due = timer('2026-11-22T10:00:00Z');
    expect(firesFor(due, hourly('skip'), 'UTC', now).fires).toEqual([]);
    expect(firesFor(due, hourly('once'), 'UTC', now).fires).toEqual([at('2026-11-22T10:00:00Z')]);
    expect(firesFor(due, hourly(), 'UTC', now).fires).toHaveLength(1);
    expect(firesFor(due, hourly('all'), 'UTC', now).fires.map((ms) => new Date(ms).toISOString())).toEqual([
      '2026-11-22T10:00:00.000Z',
      '2026-11-22T11:00:00.000Z',
      '2026-11-22T12:00:00.000Z',
      '2026-11-22T13:00:00.000Z',
    ]);
    for (const policy of ['skip', 'once', 'all'] as const) expect(firesFor(due, hourly(policy), 'UTC', now).next).toBe(at('2026-11-22T14:00:00Z'));
  });

  it('counts a fire as missed only past the grace period', () => {
    const due = timer('2026-11-22T10:00:00Z');
    expect(firesFor(due, hourly('skip'), 'UTC', at('2026-11-22T10:00:00Z') + MISSED_AFTER_MS - 1).fires).toHaveLength(1);
    expect(firesFor(due, hourly('skip'), 'UTC', at('2026-11-22T10:00:00Z') + MISSED_AFTER_MS + 1).fires).toHaveLength(0);
  });
});
