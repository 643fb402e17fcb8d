/**
 * The fixed, named hook chain on the record path. Metrics, audit, tracing and the live console
 * plug in here; the runtime calls nothing else. A hook must be fast and must not throw (a hook
 * that throws is logged and ignored: observing a record never changes its fate).
 */
import type { RecordEnvelope } from '../record/envelope.ts';
import type { DatongError } from '../errors/datong-error.ts';
import type { WriteOutcome } from '../sdk/connector.ts';

export interface HookEvents {
  /** A record was durably committed by a trigger (before the sender got its answer). */
  accepted: { flow: string; count: number };
  beforeStep: { envelope: RecordEnvelope; step: string; type: string };
  afterStep: { envelope: RecordEnvelope; step: string; type: string; ms: number; error?: DatongError };
  beforeWrite: { flow: string; system: string; step: string; items: number };
  afterWrite: { flow: string; system: string; step: string; outcomes: WriteOutcome[]; ms: number };
  /** The record is finished and its completion committed. */
  done: { envelope: RecordEnvelope; outcome: 'done' | 'filtered' | 'split' };
  retrying: { envelope: RecordEnvelope; attempt: number; delayMs: number; error: DatongError; step?: string; system?: string };
  deadLettered: { envelope: RecordEnvelope; error: DatongError; step?: string };
}

export type HookName = keyof HookEvents;
type Listener<N extends HookName> = (event: HookEvents[N]) => void;

export class Hooks {
  private readonly listeners: { [N in HookName]?: Listener<N>[] } = {};
  constructor(private readonly onHookError: (error: unknown, hook: HookName) => void = () => {}) {}

  on<N extends HookName>(name: N, listener: Listener<N>): () => void {
    const list = (this.listeners[name] ??= []) as Listener<N>[];
    list.push(listener);
    return () => list.splice(list.indexOf(listener), 1);
  }

  emit<N extends HookName>(name: N, event: HookEvents[N]): void {
    const list = this.listeners[name] as Listener<N>[] | undefined;
    if (!list) return;
    for (const listener of list) {
      try {
        listener(event);
      } catch (error) {
        this.onHookError(error, name);
      }
    }
  }
}
