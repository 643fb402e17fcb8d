import { sleep } from './webhook-sender.ts';

/** Resolves once `${hubUrl}/healthz` answers 200; false if aborted first. */
export async function waitForHub(hubUrl: string, signal: AbortSignal, log: (line: string) => void): Promise<boolean> {
  let attempts = 0;
  while (!signal.aborted) {
    try {
      const response = await fetch(`${hubUrl}/healthz`, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) });
      await response.body?.cancel();
      if (response.ok) return true;
    } catch {
      // not up yet
    }
    if (++attempts === 20) log(`still waiting for the hub at ${hubUrl}/healthz`);
    await sleep(500, signal);
  }
  return false;
}
