/**
 * Delivers signed webhooks the way a careful platform does: each delivery has one id, and a
 * delivery the hub did not take (5xx, 429 or no answer) is sent again later with the same id,
 * so the hub can tell a retry from a new event. A 4xx other than 429 is final: sending the same
 * thing again cannot help.
 */
import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../../../src/triggers/webhook/signature.ts';

export type SendResult =
  | { status: 'accepted'; httpStatus: number; attempts: number; duplicate: boolean }
  | { status: 'refused'; httpStatus: number; attempts: number; body: string }
  | { status: 'aborted'; attempts: number };

export interface SenderOptions {
  url: string;
  secret: string;
  signal: AbortSignal;
  /** First wait before a retry; doubles up to maxDelayMs. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
}

export async function deliver(body: unknown, options: SenderOptions): Promise<SendResult> {
  const raw = JSON.stringify(body);
  const deliveryId = randomUUID();
  let delay = options.initialDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    if (options.signal.aborted) return { status: 'aborted', attempts: attempt - 1 };
    let retryAfterMs: number | undefined;
    try {
      // Signed per attempt: the timestamp must stay inside the hub's tolerance window.
      const response = await fetch(options.url, {
        method: 'POST',
        headers: signedHeaders(options.secret, raw, deliveryId),
        body: raw,
        signal: AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
      });
      const text = await response.text();
      if (response.status >= 200 && response.status < 300) {
        const duplicate = (JSON.parse(text || '{}') as { duplicate?: boolean }).duplicate === true;
        return { status: 'accepted', httpStatus: response.status, attempts: attempt, duplicate };
      }
      if (response.status < 500 && response.status !== 429) return { status: 'refused', httpStatus: response.status, attempts: attempt, body: text };
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = retryAfter * 1000;
    } catch {
      // Unreachable, reset or timed out: the hub may or may not have the record; the same id makes a resend safe.
      if (options.signal.aborted) return { status: 'aborted', attempts: attempt };
    }
    await sleep(retryAfterMs ?? delay, options.signal);
    delay = Math.min(delay * 2, options.maxDelayMs ?? 30_000);
  }
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
