/**
 * Per-target gates: at most `concurrency` calls in flight and at most `perSecond` calls started
 * per second (token bucket with `burst`). In-process: with several hub processes each one keeps
 * its own budget, so set the limit per process.
 */
export class TargetLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private tokens: number;
  private lastRefill = Date.now();

  constructor(
    private readonly concurrency: number,
    private readonly rate?: { perSecond: number; burst?: number },
  ) {
    this.tokens = rate ? (rate.burst ?? Math.max(1, Math.ceil(rate.perSecond))) : 0;
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      await this.takeToken(signal);
      return await fn();
    } finally {
      this.release();
    }
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }

  private async takeToken(signal?: AbortSignal): Promise<void> {
    if (!this.rate) return;
    const capacity = this.rate.burst ?? Math.max(1, Math.ceil(this.rate.perSecond));
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(capacity, this.tokens + ((now - this.lastRefill) / 1000) * this.rate.perSecond);
      this.lastRefill = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.rate.perSecond) * 1000);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      signal?.throwIfAborted();
    }
  }
}
