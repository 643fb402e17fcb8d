/**
 * Runs one leased record through its flow plan and decides its completion: done, retry later,
 * or dead letter. Never throws: every failure becomes a completion.
 */
import { DatongError, toDatongError } from '../errors/datong-error.ts';
import type { Completion, NewRecord, XrefLink } from '../store/queue.ts';
import type { Hop, LeasedRecord, RunEntry } from '../store/rows.ts';
import type { FlowPlan } from './flow-plan.ts';
import type { Hooks } from './hooks.ts';
import { retryDelayMs } from './retry-policy.ts';
import type { StepRun } from './steps/step.ts';
import type { WriteBatcher } from './write-batcher.ts';

export interface ProcessOptions {
  worker: string;
  hooks: Hooks;
  signal: AbortSignal;
  batcher: (plan: FlowPlan, stepId: string) => WriteBatcher;
  /** Keep each hop's output in the run trace (default true). */
  traceOutputs?: boolean;
  now?: () => number;
}

const VALIDATION_CODES = new Set(['DT_VALIDATE_FAILED', 'DT_MAP_REQUIRED', 'DT_MAP_CAST', 'DT_MAP_DATE', 'DT_MAP_UNMAPPED_VALUE']);

export async function processRecord(plan: FlowPlan, record: LeasedRecord, options: ProcessOptions): Promise<Completion> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const { envelope } = record;
  const hops: Hop[] = [];
  const links: XrefLink[] = [];
  const doneTargets = new Set(record.doneTargets);
  const ctx: StepRun = {
    envelope,
    attempt: record.attempts,
    doneTargets,
    links,
    now: new Date(startedAt),
    signal: options.signal,
    batcher: (stepId) => options.batcher(plan, stepId),
  };
  const run = (outcome: RunEntry['outcome'], errorCode?: string): RunEntry => ({
    recordId: envelope.id,
    flow: envelope.flow,
    attempt: record.attempts,
    worker: options.worker,
    startedAt,
    finishedAt: now(),
    outcome,
    ...(errorCode ? { errorCode } : {}),
    hops,
  });

  // Leased more often than the retry budget allows: earlier attempts never finished (the
  // process died on this record, or its completion could not be committed). A poison record
  // must not take the hub down forever.
  if (record.attempts > plan.retry.maxAttempts) {
    const failure = new DatongError('DT_RUNTIME_MAX_ATTEMPTS', {
      params: { attempts: record.attempts - 1, reason: 'earlier attempts never finished (the process stopped or the completion failed)' },
      where: { flow: envelope.flow, recordId: envelope.id, sourceId: envelope.sourceId },
    });
    options.hooks.emit('deadLettered', { envelope, error: failure });
    return { kind: 'dead', record, run: run('dead', failure.code), error: failure.toJSON(), reason: 'error', holdKey: plan.holdKeyAfterDeadLetter };
  }

  let payload: unknown = envelope.payload;
  let index = record.startStep;
  let failedStep: string | undefined;
  try {
    while (index < plan.steps.length) {
      const step = plan.steps[index];
      failedStep = step.id;
      options.hooks.emit('beforeStep', { envelope, step: step.id, type: step.type });
      const hopStart = performance.now();
      const hop: Hop = { step: step.id, type: step.type, startedAt: now(), ms: 0 };
      hops.push(hop);
      let result;
      try {
        result = await step.run(payload, ctx);
      } catch (error) {
        const failure = toDatongError(error, { flow: envelope.flow, step: step.id, recordId: envelope.id, sourceId: envelope.sourceId });
        hop.ms = performance.now() - hopStart;
        hop.error = failure.toJSON();
        options.hooks.emit('afterStep', { envelope, step: step.id, type: step.type, ms: hop.ms, error: failure });
        throw failure;
      }
      hop.ms = performance.now() - hopStart;
      options.hooks.emit('afterStep', { envelope, step: step.id, type: step.type, ms: hop.ms });
      if (result.kind === 'continue') {
        payload = result.payload;
        if (result.outcome) hop.outcome = result.outcome;
        if (options.traceOutputs !== false && step.type !== 'write') hop.output = payload;
        index = result.jumpTo ?? index + 1;
        continue;
      }
      if (result.kind === 'stop') {
        hop.outcome = 'filtered';
        return { kind: 'done', record, run: run('filtered'), links };
      }
      if (result.kind === 'split') {
        hop.outcome = `split into ${result.elements.length}`;
        const children: NewRecord[] = result.elements.map((element) => ({
          flow: envelope.flow,
          snapshot: envelope.snapshot,
          sourceSystem: envelope.sourceSystem,
          sourceId: element.sourceId,
          key: element.sourceId,
          version: envelope.version,
          deliveryId: `split:${envelope.id}:${element.sourceId}`,
          traceId: envelope.traceId,
          correlationId: envelope.correlationId,
          causationId: envelope.id,
          org: envelope.org,
          payload: element.payload,
          startStep: index + 1,
        }));
        return { kind: 'done', record, run: run('split'), children, links };
      }
      // aggregate
      const spec = plan.aggregates.get(step.id)!;
      hop.outcome = `collected in group ${result.groupKey}`;
      return {
        kind: 'done',
        record,
        run: run('done'),
        links,
        aggregate: {
          item: payload,
          append: {
            flow: envelope.flow,
            step: step.id,
            groupKey: result.groupKey,
            size: spec.size,
            timeoutMs: spec.timeoutMs,
            into: spec.into ?? 'items',
            nextStep: index + 1,
            emit: {
              flow: envelope.flow,
              snapshot: envelope.snapshot,
              sourceSystem: envelope.sourceSystem,
              traceId: envelope.traceId,
              correlationId: envelope.correlationId,
              causationId: envelope.id,
              org: envelope.org,
            },
          },
        },
      };
    }
    return { kind: 'done', record, run: run('done'), links };
  } catch (error) {
    const failure = error instanceof DatongError ? error : toDatongError(error, { flow: envelope.flow, recordId: envelope.id });
    return failed(plan, record, failure, failedStep, { run, doneTargets, hooks: options.hooks, now: now() });
  }
}

function failed(
  plan: FlowPlan,
  record: LeasedRecord,
  failure: DatongError,
  step: string | undefined,
  context: { run: (outcome: RunEntry['outcome'], code?: string) => RunEntry; doneTargets: Set<string>; hooks: Hooks; now: number },
): Completion {
  const { envelope } = record;
  if (failure.retryable && record.attempts < plan.retry.maxAttempts) {
    const delayMs = retryDelayMs(plan.retry, record.attempts, failure.retryAfterMs);
    context.hooks.emit('retrying', { envelope, attempt: record.attempts, delayMs, error: failure, step, system: failure.where.system });
    return {
      kind: 'retry',
      record,
      run: context.run('retry', failure.code),
      dueAt: context.now + delayMs,
      error: failure.toJSON(),
      doneTargets: [...context.doneTargets],
    };
  }
  const final = failure.retryable
    ? new DatongError('DT_RUNTIME_MAX_ATTEMPTS', {
        params: { attempts: record.attempts, reason: failure.message },
        where: failure.where,
        cause: failure,
        details: { lastError: failure.toJSON() },
      })
    : failure;
  context.hooks.emit('deadLettered', { envelope, error: final, step });
  return {
    kind: 'dead',
    record,
    run: context.run('dead', final.code),
    error: final.toJSON(),
    step,
    reason: VALIDATION_CODES.has(failure.code) ? 'validation' : 'error',
    holdKey: plan.holdKeyAfterDeadLetter,
  };
}
