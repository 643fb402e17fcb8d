import type { RecordEnvelope } from '../../record/envelope.ts';
import type { StepType } from '../../workspace/schema.ts';
import type { WriteBatcher } from '../write-batcher.ts';
import type { XrefLink } from '../../store/queue.ts';

/** What a step sees of the record being processed and of the attempt it runs in. */
export interface StepRun {
  envelope: RecordEnvelope;
  attempt: number;
  /** Write steps already done in an earlier attempt (skipped now); written steps are added. */
  doneTargets: Set<string>;
  /** Cross-reference links to commit with the record's completion. */
  links: XrefLink[];
  now: Date;
  signal: AbortSignal;
  batcher(stepId: string): WriteBatcher;
}

export type StepResult =
  | { kind: 'continue'; payload: unknown; jumpTo?: number; outcome?: string }
  /** The record ends here as done without reaching later steps (filter false, route to stop). */
  | { kind: 'stop'; outcome: 'filtered' }
  | { kind: 'split'; elements: { sourceId: string; payload: unknown }[] }
  | { kind: 'aggregate'; groupKey: string };

/**
 * A step compiled once per flow snapshot. `run` gets the payload the previous step produced and
 * throws a DatongError on failure; its `retryable` flag decides between retry and dead letter.
 */
export interface CompiledStep {
  readonly id: string;
  readonly type: StepType;
  readonly index: number;
  run(payload: unknown, ctx: StepRun): StepResult | Promise<StepResult>;
}
