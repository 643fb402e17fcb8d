import { describe, expect, it } from 'vitest';
import { classifyResponse, parseRetryAfter } from './classify.ts';

const context = { system: 'erp', recordId: 'r1', secrets: ['s3cr3t'] };
const answer = (status: number, body = '', headers: Record<string, string> = {}) => ({ status, body, headers });

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
  });
  it('gives 0 for a date in the past and undefined for nothing or nonsense', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('classifyResponse', () => {
  it('2xx is written, with the id of a JSON object body as targetId', () => {
    expect(classifyResponse(answer(201, '{"id":42}'), context)).toEqual({ status: 'written', targetId: '42' });
    expect(classifyResponse(answer(204), context)).toEqual({ status: 'written' });
    expect(classifyResponse(answer(200, '[{"id":1}]'), context)).toEqual({ status: 'written' });
    expect(classifyResponse(answer(200, 'not json'), context)).toEqual({ status: 'written' });
  });

  it('a replayed 2xx is an unchanged duplicate', () => {
    expect(classifyResponse(answer(200, '{"id":"A"}', { 'idempotent-replayed': 'true' }), context)).toEqual({
      status: 'unchanged',
      reason: 'duplicate',
      targetId: 'A',
    });
  });

  it('409 reads the body: duplicate, stale, or a plain rejection', () => {
    expect(classifyResponse(answer(409, '{"message":"订单重复"}'), context)).toEqual({ status: 'unchanged', reason: 'duplicate' });
    expect(classifyResponse(answer(409, 'record already exists'), context)).toEqual({ status: 'unchanged', reason: 'duplicate' });
    expect(classifyResponse(answer(409, '{"error":"stale write"}'), context)).toEqual({ status: 'unchanged', reason: 'stale' });
    const other = classifyResponse(answer(409, '{"error":"locked"}'), context);
    expect(other.status === 'failed' && [other.error.code, other.error.retryable]).toEqual(['DT_TARGET_REJECTED', false]);
  });

  it('redirects are rejections (the connector does not follow them)', () => {
    const outcome = classifyResponse(answer(302, '', { location: '/elsewhere' }), context);
    expect(outcome.status === 'failed' && outcome.error.code).toBe('DT_TARGET_REJECTED');
  });

  it('error bodies are scrubbed of secrets and located at the record', () => {
    const outcome = classifyResponse(answer(400, 'token s3cr3t is not valid here'), context);
    if (outcome.status !== 'failed') throw new Error('expected failure');
    expect(outcome.error.details).toEqual({ status: 400, body: 'token *** is not valid here' });
    expect(outcome.error.message).not.toContain('s3cr3t');
    expect(outcome.error.where).toEqual({ system: 'erp', recordId: 'r1' });
  });
});
