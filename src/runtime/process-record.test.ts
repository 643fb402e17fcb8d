import { describe, expect, it } from 'vitest';
import { DatongError } from '../errors/datong-error.ts';
import type { LeasedRecord } from '../store/rows.ts';
import type { FlowPlan } from './flow-plan.ts';
import { Hooks } from './hooks.ts';
import { processRecord } from './process-record.ts';
import type { CompiledStep } from './steps/step.ts';

const record = (attempts: number): LeasedRecord => ({
  seq: 1,
  attempts,
  doneTargets: [],
  startStep: 0,
  envelope: { id: 'R1', flow: 'f', snapshot: 1, sourceSystem: 'shop', sourceId: 'TB1', key: 'TB1', acceptedAt: '2026-11-22T12:00:00.000Z', traceId: 't', payload: { n: 1 } },
});

const plan = (step: CompiledStep): FlowPlan =>
  ({ id: 'f', snapshot: 1, steps: [step], retry: { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1000 }, holdKeyAfterDeadLetter: false }) as unknown as FlowPlan;

const options = { worker: 'w', hooks: new Hooks(), signal: new AbortController().signal, batcher: () => undefined as never };
const failing = (retryable: boolean): CompiledStep => ({
  id: 'push',
  type: 'write',
  index: 0,
  run: () => {
    throw new DatongError('DT_TARGET_SERVER_ERROR', { params: { system: 'erp', status: 503, reason: 'busy' }, retryable, retryAfterMs: 5000 });
  },
});

describe('processRecord', () => {
  it('retries a retryable failure with back-off no sooner than Retry-After, keeping the error', async () => {
    const completion = await processRecord(plan(failing(true)), record(1), { ...options, now: () => 1000 });
    expect(completion.kind).toBe('retry');
    if (completion.kind !== 'retry') return;
    expect(completion.dueAt).toBeGreaterThanOrEqual(6000);
    expect(completion.error.code).toBe('DT_TARGET_SERVER_ERROR');
    expect(completion.run.hops[0]).toMatchObject({ step: 'push', error: { code: 'DT_TARGET_SERVER_ERROR' } });
  });

  it('dead-letters at once when the error is not retryable, and after the last attempt when it is', async () => {
    expect((await processRecord(plan(failing(false)), record(1), options)).kind).toBe('dead');
    const last = await processRecord(plan(failing(true)), record(3), options);
    expect(last).toMatchObject({ kind: 'dead', error: { code: 'DT_RUNTIME_MAX_ATTEMPTS' }, reason: 'error' });
  });

  it('dead-letters a record whose earlier attempts never finished (a crash loop) without running it again', async () => {
    let ran = false;
    const step: CompiledStep = { id: 'map', type: 'map', index: 0, run: (payload) => ((ran = true), { kind: 'continue', payload }) };
    const completion = await processRecord(plan(step), record(4), options);
    expect(completion).toMatchObject({ kind: 'dead', error: { code: 'DT_RUNTIME_MAX_ATTEMPTS' } });
    expect(ran).toBe(false);
  });
});
