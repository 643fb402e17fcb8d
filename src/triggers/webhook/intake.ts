/**
 * Turns one signed webhook delivery into a record for the queue: size, signature and timestamp
 * checks, JSON parsing, and the record's identity read from the body as the flow declares.
 */
import { DatongError } from '../../errors/datong-error.ts';
import type { NewRecord } from '../../store/queue.ts';
import { readString } from '../../runtime/paths.ts';
import type { WebhookTriggerSpec } from '../../workspace/schema.ts';
import { HEADER_DELIVERY, HEADER_SIGNATURE, HEADER_TIMESTAMP, verifySignature } from './signature.ts';

export const DEFAULT_MAX_BODY_BYTES = 1_048_576;

export interface Delivery {
  flow: string;
  snapshot: number;
  trigger: WebhookTriggerSpec;
  /** Clear-text secrets (already resolved). */
  secrets: readonly string[];
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  now?: number;
}

const header = (headers: Delivery['headers'], name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function intakeDelivery(delivery: Delivery): NewRecord {
  const { trigger, rawBody, headers } = delivery;
  const limit = trigger.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (rawBody.length > limit) throw new DatongError('DT_WEBHOOK_TOO_LARGE', { params: { limit }, where: { flow: delivery.flow } });
  verifySignature({
    secrets: delivery.secrets,
    timestamp: header(headers, HEADER_TIMESTAMP),
    signature: header(headers, HEADER_SIGNATURE),
    rawBody,
    toleranceSeconds: trigger.toleranceSeconds ?? 300,
    now: delivery.now,
  });
  const deliveryId = header(headers, HEADER_DELIVERY);
  if (!deliveryId || deliveryId.length > 200) {
    throw new DatongError('DT_WEBHOOK_MALFORMED', { params: { reason: `header X-Datong-Delivery-Id is ${deliveryId ? 'longer than 200 characters' : 'missing'}` } });
  }
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new DatongError('DT_WEBHOOK_MALFORMED', { params: { reason: (error as Error).message }, where: { flow: delivery.flow } });
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new DatongError('DT_WEBHOOK_MALFORMED', { params: { reason: 'the body must be a JSON object' } });
  }
  const required = (path: string, what: string): string => {
    const value = readString(payload, path);
    if (value === undefined) throw new DatongError('DT_WEBHOOK_MISSING_FIELD', { params: { path, what }, where: { flow: delivery.flow, path } });
    return value;
  };
  const sourceId = required(trigger.sourceId, 'source id');
  const company = trigger.company ? readString(payload, trigger.company) : undefined;
  const department = trigger.department ? readString(payload, trigger.department) : undefined;
  return {
    flow: delivery.flow,
    snapshot: delivery.snapshot,
    sourceSystem: trigger.system,
    sourceId,
    key: trigger.key ? required(trigger.key, 'ordering key') : sourceId,
    version: trigger.version ? readString(payload, trigger.version) : undefined,
    deliveryId,
    org: company || department ? { ...(company ? { company } : {}), ...(department ? { department } : {}) } : undefined,
    payload,
  };
}
