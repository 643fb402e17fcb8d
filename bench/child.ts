/**
 * The benchmark's other processes (hub, bare server, load generator) are TypeScript files run
 * through bin/run-ts.js with an IPC channel: each runs on its own event loop, so the client
 * never steals the server's loop. Messages are plain objects with a `type`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUN_TS = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));

export interface Message {
  type: string;
  [field: string]: unknown;
}

export class Child {
  private readonly waiting: { type: string; resolve: (message: Message) => void }[] = [];
  private readonly early: Message[] = [];
  private exited: Promise<number | null>;

  private constructor(readonly process: ChildProcess, readonly name: string) {
    process.on('message', (message: Message) => {
      const index = this.waiting.findIndex((waiter) => waiter.type === message.type);
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(message);
      else this.early.push(message);
    });
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  /** Starts `bench/<script>` with `options` as its one JSON argument. */
  static start(script: string, options: unknown, extra: { execArgv?: string[]; name?: string } = {}): Child {
    const file = fileURLToPath(new URL(script, import.meta.url));
    const child = fork(RUN_TS, [file, JSON.stringify(options)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: extra.execArgv ?? [],
      serialization: 'advanced',
    });
    return new Child(child, extra.name ?? script);
  }

  get pid(): number {
    return this.process.pid!;
  }

  send(message: Message): void {
    this.process.send(message);
  }

  /** The next message of `type` (or one that already arrived); fails if the process exits first. */
  next<T extends { type: string }>(type: string, timeoutMs = 120_000): Promise<T> {
    const index = this.early.findIndex((message) => message.type === type);
    if (index >= 0) return Promise.resolve(this.early.splice(index, 1)[0] as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
      const waiter = {
        type,
        resolve: (message: Message) => {
          clearTimeout(timer);
          resolve(message as T);
        },
      };
      this.waiting.push(waiter);
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (code ${code}) before sending "${type}"`));
      });
    });
  }

  async request<T extends { type: string }>(message: Message, reply: string, timeoutMs?: number): Promise<T> {
    const answer = this.next<T>(reply, timeoutMs);
    this.send(message);
    return answer;
  }

  /** Waits for the process to exit, killing it (by its pid) after `graceMs`. */
  async exit(graceMs = 30_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Parses the JSON options a child was started with. */
export function childOptions<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error('expected the options as a JSON argument');
  return JSON.parse(raw) as T;
}

export function reply(message: Message): void {
  process.send!(message);
}
