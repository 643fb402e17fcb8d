import type { RecordEnvelope } from '../record/envelope.ts';
import type { SerializedError } from '../errors/datong-error.ts';

/** Where a record is in its life. */
export type RecordState = 'ready' | 'leased' | 'waiting' | 'done' | 'dead';
export const RECORD_STATES: readonly RecordState[] = ['ready', 'leased', 'waiting', 'done', 'dead'];

export interface RecordRow {
  seq: number;
  id: string;
  flow: string;
  snapshot: number;
  source_system: string;
  source_id: string;
  ordering_key: string;
  version: string | null;
  delivery_id: string | null;
  accepted_at: number;
  trace_id: string;
  correlation_id: string | null;
  causation_id: string | null;
  org: string | null;
  payload: string;
  state: RecordState;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  done_targets: string | null;
  last_error: string | null;
  holds_key: number;
  start_step: number;
  finished_at: number | null;
}

/** A record as a worker holds it: the envelope plus its processing state. */
export interface LeasedRecord {
  seq: number;
  envelope: RecordEnvelope;
  attempts: number;
  /** Targets already written in an earlier attempt (step ids). */
  doneTargets: string[];
  startStep: number;
}

export function toEnvelope(row: RecordRow): RecordEnvelope {
  return {
    id: row.id,
    flow: row.flow,
    snapshot: Number(row.snapshot),
    sourceSystem: row.source_system,
    sourceId: row.source_id,
    key: row.ordering_key,
    ...(row.version !== null ? { version: row.version } : {}),
    acceptedAt: new Date(Number(row.accepted_at)).toISOString(),
    traceId: row.trace_id,
    ...(row.correlation_id ? { correlationId: row.correlation_id } : {}),
    ...(row.causation_id ? { causationId: row.causation_id } : {}),
    ...(row.org ? { org: JSON.parse(row.org) } : {}),
    payload: JSON.parse(row.payload),
  };
}

export function toLeased(row: RecordRow): LeasedRecord {
  return {
    seq: Number(row.seq),
    envelope: toEnvelope(row),
    attempts: Number(row.attempts),
    doneTargets: row.done_targets ? JSON.parse(row.done_targets) : [],
    startStep: Number(row.start_step),
  };
}

export interface DeadLetter {
  id: string;
  recordId: string;
  flow: string;
  reason: 'error' | 'validation';
  step: string | null;
  errorCode: string;
  error: SerializedError;
  attempts: number;
  payload: unknown;
  originalPayload: unknown;
  state: 'open' | 'replayed' | 'discarded';
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface Hop {
  step: string;
  type: string;
  startedAt: number;
  ms: number;
  output?: unknown;
  error?: SerializedError;
  /** Target outcome for write steps. */
  outcome?: string;
}

export interface RunEntry {
  recordId: string;
  flow: string;
  attempt: number;
  worker: string;
  startedAt: number;
  finishedAt: number;
  outcome: 'done' | 'retry' | 'dead' | 'filtered' | 'split';
  errorCode?: string;
  hops: Hop[];
}
