/**
 * The lifecycle every conformance suite shares: make the harness once (null = its server is
 * missing: a loud skip), close the connectors a test opened and reset the harness before each
 * test, close everything at the end.
 */
import { afterAll, beforeAll, beforeEach, type TestContext } from 'vitest';
import type { Connector } from '../connector.ts';

export interface Harness {
  connector(): Connector;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessLifecycle<H extends Harness> {
  /** The harness, or a named skip of the current test when its server is missing. */
  need(context: TestContext): H;
  /** A new connector from the harness, closed after the test. */
  connect(harness: H): Connector;
}

export function useHarness<H extends Harness>(suite: string, name: string, makeHarness: () => Promise<H | null>): HarnessLifecycle<H> {
  let harness: H | null = null;
  const open: Connector[] = [];
  const closeOpen = () => Promise.allSettled(open.splice(0).map((connector) => connector.close()));

  beforeAll(async () => {
    harness = await makeHarness();
    if (!harness) console.warn(`\n!!! ${suite.toUpperCase()} CONFORMANCE SKIPPED: ${name} — its server is not available !!!\n`);
  });
  afterAll(async () => {
    await closeOpen();
    await harness?.close();
  });
  beforeEach(async () => {
    await closeOpen();
    await harness?.reset();
  });

  return {
    need(context) {
      if (!harness) return context.skip(`${name}: server not available`);
      return harness;
    },
    connect(h) {
      const connector = h.connector();
      open.push(connector);
      return connector;
    },
  };
}
