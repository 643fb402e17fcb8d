/**
 * The main thread's side of the SQLite commit thread (`sqlite-commit-thread.js`): starts it,
 * sends it groups of scripts, and matches its replies. Scheduling (when a group may go) stays
 * with SqliteDb, which knows about its own connection's transactions.
 */
import { Worker } from 'node:worker_threads';

/** One statement of a script; with `onlyIf: i` it runs only when step i changed a row. */
export interface ScriptStep {
  sql: string;
  params: readonly unknown[];
  onlyIf?: number;
}

/** What a step did: rows changed (or returned, for a statement with RETURNING), and those rows. */
export interface ScriptResult {
  changes: number;
  rows?: unknown[];
}

/** Stores that can run a fixed list of statements as one transaction off the event loop. */
export interface ScriptRunner {
  /**
   * Runs the steps in order in one transaction and resolves with each step's result once the
   * transaction is committed (durably, per the synchronous setting). Any failing statement
   * rolls the whole script back and rejects.
   */
  runScript(steps: readonly ScriptStep[]): Promise<ScriptResult[]>;
}

/** Per script of a group: its results, or the error that rolled it back. */
export interface ScriptOutcome {
  results?: ScriptResult[];
  error?: { message: string; code?: string };
}

interface ThreadReply {
  id: number;
  outcomes?: ScriptOutcome[];
  error?: { message: string; code?: string };
}

export interface CommitThreadOptions {
  path: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
  /** Called once when the thread fails or exits; scripts out at that moment are rejected. */
  onFail: () => void;
}

export class CommitThread {
  private readonly replies = new Map<number, { resolve: (outcomes: ScriptOutcome[]) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private readonly worker: Worker;

  constructor(options: CommitThreadOptions) {
    this.worker = new Worker(new URL('./sqlite-commit-thread.js', import.meta.url), {
      workerData: { path: options.path, synchronous: options.synchronous, busyTimeoutMs: options.busyTimeoutMs, checkpointMs: 1000 },
    });
    this.worker.unref();
    this.worker.on('message', (reply: ThreadReply) => {
      const waiting = this.replies.get(reply.id);
      if (!waiting) return;
      this.replies.delete(reply.id);
      if (reply.error) waiting.reject(threadError(reply.error));
      else waiting.resolve(reply.outcomes!);
    });
    let failed = false;
    const fail = (error: Error) => {
      if (!failed) options.onFail();
      failed = true;
      const waiting = [...this.replies.values()];
      this.replies.clear();
      for (const reply of waiting) reply.reject(error);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`the SQLite commit thread exited (code ${code})`)));
  }

  /** Runs the scripts in one transaction on the thread (each alone if that fails). */
  send(scripts: readonly (readonly ScriptStep[])[]): Promise<ScriptOutcome[]> {
    const id = ++this.nextId;
    // Each distinct SQL text crosses to the thread once per message: the same few statements
    // repeat for every record, and copying them is a visible share of the event loop's time.
    const sqls: string[] = [];
    const index = new Map<string, number>();
    const encoded = scripts.map((steps) =>
      steps.map((step) => {
        let at = index.get(step.sql);
        if (at === undefined) index.set(step.sql, (at = sqls.push(step.sql) - 1));
        return step.onlyIf === undefined ? { s: at, p: step.params } : { s: at, p: step.params, o: step.onlyIf };
      }),
    );
    // Referenced only while scripts are out, so an idle thread never keeps the process alive.
    this.worker.ref();
    const reply = new Promise<ScriptOutcome[]>((resolve, reject) => this.replies.set(id, { resolve, reject }));
    this.worker.postMessage({ id, sqls, scripts: encoded });
    return reply.finally(() => this.worker.unref());
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }
}

/** An error from the commit thread, with the driver's code (SQLITE_BUSY…) kept for classification. */
export function threadError(error: { message: string; code?: string }): Error {
  return Object.assign(new Error(error.message), { code: error.code });
}
