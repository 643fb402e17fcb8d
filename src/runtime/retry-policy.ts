/** Exponential back-off with full jitter, never sooner than a target's Retry-After. */
export interface RetryPolicy {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, initialDelayMs: 500, maxDelayMs: 300_000 };

/** Delay before attempt `attempt + 1`, where `attempt` (1-based) is the one that just failed. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs = 0, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  // Half fixed, half random: spreads a thundering herd but keeps the curve exponential.
  const delay = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(Math.round(delay), retryAfterMs);
}
