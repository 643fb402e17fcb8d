/**
 * Prometheus metrics, fed by the record-path hooks. Labels never carry record ids (unbounded
 * cardinality). Queue depth is read from the store at scrape time, so several hub processes
 * sharing one store report one truth instead of each counting its own.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../store/db.ts';
import { queueDepth } from '../store/queue.ts';
import type { Hooks } from '../runtime/hooks.ts';

export interface HubMetrics {
  registry: Registry;
}

export function createMetrics(options: { db: Db; hooks: Hooks; defaultMetrics?: boolean }): HubMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'datong_process_' });

  const accepted = new Counter({ name: 'datong_records_accepted_total', help: 'Records durably accepted by triggers', labelNames: ['flow'], registers: [registry] });
  const done = new Counter({ name: 'datong_records_done_total', help: 'Records written to a target', labelNames: ['flow', 'target'], registers: [registry] });
  const failed = new Counter({ name: 'datong_records_failed_total', help: 'Step failures (each attempt)', labelNames: ['flow', 'step', 'code'], registers: [registry] });
  const dead = new Counter({ name: 'datong_records_dead_lettered_total', help: 'Records moved to the dead-letter queue', labelNames: ['flow'], registers: [registry] });
  const retries = new Counter({ name: 'datong_retries_total', help: 'Records scheduled for another attempt', labelNames: ['flow', 'target'], registers: [registry] });
  const stepDuration = new Histogram({
    name: 'datong_step_duration_seconds',
    help: 'Time spent in a step per record',
    labelNames: ['flow', 'step'],
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'datong_queue_depth',
    help: 'Records per flow and state, read from the store',
    labelNames: ['flow', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await queueDepth(options.db)) this.set({ flow: row.flow, state: row.state }, row.count);
    },
  });

  const { hooks } = options;
  hooks.on('accepted', (event) => accepted.inc({ flow: event.flow }, event.count));
  hooks.on('afterStep', (event) => {
    stepDuration.observe({ flow: event.envelope.flow, step: event.step }, event.ms / 1000);
    if (event.error) failed.inc({ flow: event.envelope.flow, step: event.step, code: event.error.code });
  });
  hooks.on('afterWrite', (event) => {
    const written = event.outcomes.filter((outcome) => outcome.status !== 'failed').length;
    if (written) done.inc({ flow: event.flow, target: event.system }, written);
  });
  hooks.on('retrying', (event) => retries.inc({ flow: event.envelope.flow, target: event.system ?? event.step ?? 'none' }));
  hooks.on('deadLettered', (event) => dead.inc({ flow: event.envelope.flow }));
  return { registry };
}
