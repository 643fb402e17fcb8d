import { describe, expect, it } from 'vitest';
import { DatongError } from '../../errors/datong-error.ts';
import { sign, signedHeaders, verifySignature } from './signature.ts';

const body = Buffer.from(JSON.stringify({ orderNo: 'TB20261122001', buyer: '张三' }));
const now = 1_790_000_000_000;
const ts = String(Math.floor(now / 1000));

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as DatongError).code;
  }
}

describe('webhook signature', () => {
  it('accepts a correct signature and either secret during rotation', () => {
    expect(codeOf(() => verifySignature({ secrets: ['new', 'old'], timestamp: ts, signature: sign('old', ts, body), rawBody: body, toleranceSeconds: 300, now }))).toBeUndefined();
    expect(codeOf(() => verifySignature({ secrets: ['new', 'old'], timestamp: ts, signature: sign('new', ts, body), rawBody: body, toleranceSeconds: 300, now }))).toBeUndefined();
  });

  it('rejects a forged signature, a changed body, a missing header', () => {
    const good = sign('s3cret', ts, body);
    expect(codeOf(() => verifySignature({ secrets: ['s3cret'], timestamp: ts, signature: sign('guess', ts, body), rawBody: body, toleranceSeconds: 300, now }))).toBe('DT_WEBHOOK_SIGNATURE');
    expect(codeOf(() => verifySignature({ secrets: ['s3cret'], timestamp: ts, signature: good, rawBody: Buffer.from(body.toString().replace('张三', '李四')), toleranceSeconds: 300, now }))).toBe(
      'DT_WEBHOOK_SIGNATURE',
    );
    expect(codeOf(() => verifySignature({ secrets: ['s3cret'], timestamp: ts, signature: undefined, rawBody: body, toleranceSeconds: 300, now }))).toBe('DT_WEBHOOK_SIGNATURE');
    expect(codeOf(() => verifySignature({ secrets: ['s3cret'], timestamp: ts, signature: 'v1=zz', rawBody: body, toleranceSeconds: 300, now }))).toBe('DT_WEBHOOK_SIGNATURE');
  });

  it('rejects a timestamp outside the window, and a signature replayed with another timestamp', () => {
    const stale = String(Number(ts) - 301);
    expect(codeOf(() => verifySignature({ secrets: ['k'], timestamp: stale, signature: sign('k', stale, body), rawBody: body, toleranceSeconds: 300, now }))).toBe('DT_WEBHOOK_TIMESTAMP');
    const other = String(Number(ts) - 10);
    expect(codeOf(() => verifySignature({ secrets: ['k'], timestamp: other, signature: sign('k', ts, body), rawBody: body, toleranceSeconds: 300, now }))).toBe('DT_WEBHOOK_SIGNATURE');
  });

  it('builds headers a verifier accepts', () => {
    const headers = signedHeaders('k', body, 'd-1', now);
    expect(headers['x-datong-delivery-id']).toBe('d-1');
    expect(codeOf(() => verifySignature({ secrets: ['k'], timestamp: headers['x-datong-timestamp'], signature: headers['x-datong-signature'], rawBody: body, toleranceSeconds: 300, now }))).toBeUndefined();
  });
});
