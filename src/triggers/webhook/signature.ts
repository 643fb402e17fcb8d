/**
 * The datong webhook signature (the contract every sender, test and simulator follows):
 *   X-Datong-Timestamp: unix seconds
 *   X-Datong-Delivery-Id: unique per delivery (repeats are answered 202 without a new record)
 *   X-Datong-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>
 * The timestamp must be within ±tolerance seconds; up to two secrets are accepted (rotation);
 * comparison is constant-time. Several `v1=` values may be sent, comma-separated.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DatongError } from '../../errors/datong-error.ts';

export const HEADER_TIMESTAMP = 'x-datong-timestamp';
export const HEADER_DELIVERY = 'x-datong-delivery-id';
export const HEADER_SIGNATURE = 'x-datong-signature';

export function sign(secret: string, timestamp: number | string, rawBody: Buffer | string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

/** Headers a sender attaches; used by simulators, tests and the CLI. */
export function signedHeaders(secret: string, rawBody: Buffer | string, deliveryId: string, now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'content-type': 'application/json',
    [HEADER_TIMESTAMP]: String(timestamp),
    [HEADER_DELIVERY]: deliveryId,
    [HEADER_SIGNATURE]: sign(secret, timestamp, rawBody),
  };
}

export interface VerifyInput {
  secrets: readonly string[];
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
  toleranceSeconds: number;
  now?: number;
}

/** Throws DT_WEBHOOK_SIGNATURE or DT_WEBHOOK_TIMESTAMP; returns when the delivery is authentic. */
export function verifySignature(input: VerifyInput): void {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp) || !input.signature) throw new DatongError('DT_WEBHOOK_SIGNATURE');
  const nowSeconds = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(nowSeconds - Number(input.timestamp)) > input.toleranceSeconds) {
    throw new DatongError('DT_WEBHOOK_TIMESTAMP', { params: { timestamp: input.timestamp, windowSeconds: input.toleranceSeconds } });
  }
  const presented = input.signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .map((part) => Buffer.from(part.slice(3), 'hex'));
  for (const secret of input.secrets) {
    const expected = Buffer.from(sign(secret, input.timestamp, input.rawBody).slice(3), 'hex');
    for (const candidate of presented) {
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return;
    }
  }
  throw new DatongError('DT_WEBHOOK_SIGNATURE');
}
