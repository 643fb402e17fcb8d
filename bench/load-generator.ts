/**
 * The load generator process: keeps `connections` signed webhook deliveries of the fixture
 * order in flight over an undici keep-alive pool. Each body carries `sent_at` (epoch ms, sub-ms
 * precision) stamped just before the request is sent, so the target row can tell the end-to-end
 * latency. While the parent reports a backlog above the bound, no new request starts (bounded
 * queue: the measured rate is what the hub sustains, not what it can buffer).
 *
 * Messages in: start, backlog { depth }, mark, stop. Out: ready, mark { counters }, stopped { counters }.
 */
import { Pool } from 'undici';
import { signedHeaders } from '../src/triggers/webhook/signature.ts';
import { childOptions, reply, type Message } from './child.ts';
import { makeOrder } from './fixtures/order-fixture.ts';

export interface GeneratorOptions {
  origin: string;
  path: string;
  secret: string;
  connections: number;
  backlogBound: number;
  /** Delivery ids and order numbers start here, so runs against one store never collide. */
  firstIndex: number;
}

export interface GeneratorCounters {
  /** performance.timeOrigin + performance.now() when the counters were read. */
  at: number;
  sent: number;
  accepted: number;
  refused: number;
  errors: number;
  /** Milliseconds the generator spent paused by the backlog bound. */
  pausedMs: number;
  /** CPU time of the generator process so far (ms). */
  cpuMs: number;
  /** Response times (ms) of 2xx answers since the previous mark: p50, p99. */
  responseP50?: number;
  responseP99?: number;
}

const options = childOptions<GeneratorOptions>();
const pool = new Pool(options.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 60_000 });
const now = (): number => performance.timeOrigin + performance.now();

let running = false;
let paused = false;
let pausedSince = 0;
let pausedMs = 0;
let resume: (() => void) | undefined;
let next = options.firstIndex;
const counters = { sent: 0, accepted: 0, refused: 0, errors: 0 };
let samples = new Float64Array(1 << 16);
let sampleCount = 0;
const loops: Promise<void>[] = [];

function record(ms: number): void {
  if (sampleCount === samples.length) {
    const grown = new Float64Array(samples.length * 2);
    grown.set(samples);
    samples = grown;
  }
  samples[sampleCount++] = ms;
}

function setBacklog(depth: number): void {
  // A little hysteresis so the generator does not flap around the bound.
  if (!paused && depth > options.backlogBound) {
    paused = true;
    pausedSince = now();
  } else if (paused && depth < options.backlogBound * 0.9) {
    paused = false;
    pausedMs += now() - pausedSince;
    resume?.();
    resume = undefined;
  }
}

async function whileRunning(): Promise<void> {
  while (running) {
    if (paused) {
      await new Promise<void>((resolve) => {
        const previous = resume;
        resume = () => {
          previous?.();
          resolve();
        };
      });
      continue;
    }
    const index = next++;
    const sentAt = now();
    const raw = JSON.stringify({ ...makeOrder(index), sent_at: sentAt });
    counters.sent++;
    try {
      const response = await pool.request({ method: 'POST', path: options.path, headers: signedHeaders(options.secret, raw, `bench-${index}`), body: raw });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        counters.accepted++;
        record(now() - sentAt);
      } else counters.refused++;
    } catch {
      counters.errors++;
    }
  }
}

function snapshot(): GeneratorCounters {
  const at = now();
  const taken = samples.subarray(0, sampleCount).sort();
  const pick = (q: number): number | undefined => (taken.length ? taken[Math.min(taken.length - 1, Math.floor(q * taken.length))] : undefined);
  const cpu = process.cpuUsage();
  const result: GeneratorCounters = { at, ...counters, cpuMs: (cpu.user + cpu.system) / 1000, pausedMs: pausedMs + (paused ? at - pausedSince : 0), responseP50: pick(0.5), responseP99: pick(0.99) };
  sampleCount = 0;
  return result;
}

process.on('message', async (message: Message) => {
  switch (message.type) {
    case 'start':
      running = true;
      for (let i = 0; i < options.connections; i++) loops.push(whileRunning());
      break;
    case 'backlog':
      setBacklog(message.depth as number);
      break;
    case 'mark':
      reply({ type: 'mark', counters: snapshot() });
      break;
    case 'stop':
      running = false;
      paused = false;
      resume?.();
      await Promise.all(loops);
      reply({ type: 'stopped', counters: snapshot() });
      await pool.close();
      process.exit(0);
  }
});
reply({ type: 'ready' });
