/**
 * The one envelope for everything that flows through the hub.
 *
 * Conventions every producer and consumer keeps:
 * - money and decimals travel as strings ("12.50"), never as JS numbers;
 * - times are ISO 8601 with an explicit offset ("2026-11-22T20:45:00+08:00");
 * - `payload` is plain JSON.
 */
export interface OrgAttributes {
  company?: string;
  department?: string;
}

export interface RecordEnvelope {
  /** Hub-wide unique id of this record (time-ordered). */
  id: string;
  flow: string;
  /** Workspace snapshot the record was accepted under; its flow definition is taken from there. */
  snapshot: number;
  sourceSystem: string;
  /** The record's id in its source system. */
  sourceId: string;
  /** Records with the same key are processed in acceptance order. Defaults to sourceId. */
  key: string;
  /** The source's version of the record (e.g. its updated-at); older never overwrites newer. */
  version?: string;
  acceptedAt: string;
  traceId: string;
  /** Ties callbacks and replies to the record that started a conversation. */
  correlationId?: string;
  /** The record that caused this one (split children, echoes in two-way sync). */
  causationId?: string;
  org?: OrgAttributes;
  payload: unknown;
}

/** What a trigger hands the runtime; the store assigns id, snapshot and acceptedAt. */
export type IncomingRecord = Omit<RecordEnvelope, 'id' | 'snapshot' | 'acceptedAt' | 'traceId' | 'key'> & {
  key?: string;
  traceId?: string;
  /** Dedup key of the delivery (webhook delivery id, cron fire time, cursor position). */
  deliveryId?: string;
};
