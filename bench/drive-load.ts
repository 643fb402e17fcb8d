/**
 * Runs the load generator against a server for a warm-up and a measured window, feeding it the
 * server's backlog every 200 ms when there is one (bounded queue). Returns the window's counts.
 */
import { Child } from './child.ts';
import type { GeneratorCounters, GeneratorOptions } from './load-generator.ts';
import { sleep } from './stats.ts';

export interface LoadOptions {
  origin: string;
  path: string;
  secret: string;
  connections: number;
  backlogBound: number;
  warmupSeconds: number;
  seconds: number;
  /** The server's backlog, polled from outside it; absent for a server without a queue. */
  backlog?: () => Promise<number>;
  /** Called at the start and at the end of the measured window (read counters there). */
  onMark?: (phase: 'start' | 'end') => Promise<void>;
}

export interface LoadWindow {
  /** Wall-clock bounds of the measured window (epoch ms). */
  start: number;
  end: number;
  seconds: number;
  accepted: number;
  acceptedPerSec: number;
  refused: number;
  errors: number;
  /** Share of the window the generator was held back by the backlog bound. */
  pausedShare: number;
  /** CPU the load generator used (1 = one core busy). */
  generatorCpuCores: number;
  responseP50Ms?: number;
  responseP99Ms?: number;
  backlogMax?: number;
  backlogMean?: number;
}

export async function driveLoad(options: LoadOptions): Promise<LoadWindow> {
  const generatorOptions: GeneratorOptions = {
    origin: options.origin,
    path: options.path,
    secret: options.secret,
    connections: options.connections,
    backlogBound: options.backlogBound,
    firstIndex: 0,
  };
  const generator = Child.start('load-generator.ts', generatorOptions, { name: 'load generator' });
  await generator.next('ready');
  let polling = true;
  let measuring = false;
  const backlogSamples: number[] = [];
  const poller = (async () => {
    while (polling && options.backlog) {
      try {
        const depth = await options.backlog();
        generator.send({ type: 'backlog', depth });
        if (measuring) backlogSamples.push(depth);
      } catch (error) {
        console.error(`backlog poll failed: ${String(error)}`);
      }
      await sleep(200);
    }
  })();
  try {
    generator.send({ type: 'start' });
    await sleep(options.warmupSeconds * 1000);
    const first = (await generator.request<{ type: string; counters: GeneratorCounters }>({ type: 'mark' }, 'mark')).counters;
    measuring = true;
    await options.onMark?.('start');
    await sleep(options.seconds * 1000);
    const last = (await generator.request<{ type: string; counters: GeneratorCounters }>({ type: 'mark' }, 'mark')).counters;
    measuring = false;
    await options.onMark?.('end');
    const seconds = (last.at - first.at) / 1000;
    return {
      start: first.at,
      end: last.at,
      seconds,
      accepted: last.accepted - first.accepted,
      acceptedPerSec: (last.accepted - first.accepted) / seconds,
      refused: last.refused - first.refused,
      errors: last.errors - first.errors,
      pausedShare: (last.pausedMs - first.pausedMs) / (last.at - first.at),
      generatorCpuCores: (last.cpuMs - first.cpuMs) / (last.at - first.at),
      responseP50Ms: last.responseP50,
      responseP99Ms: last.responseP99,
      ...(backlogSamples.length ? { backlogMax: Math.max(...backlogSamples), backlogMean: backlogSamples.reduce((a, b) => a + b, 0) / backlogSamples.length } : {}),
    };
  } finally {
    polling = false;
    await poller;
    await generator.request({ type: 'stop' }, 'stopped', 60_000).catch((error: unknown) => console.error(String(error)));
    await generator.exit();
  }
}
