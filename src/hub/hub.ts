/**
 * The hub: one process's share of the work. It opens the store, activates the workspace as a
 * snapshot, accepts records from triggers (group commit), runs a worker and the timer loop, and
 * exposes what the API needs. Several hubs may share one PostgreSQL store.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import pino from 'pino';
import { AuditLog } from '../audit/audit-log.ts';
import { CONNECTORS } from '../connectors/registry.ts';
import { DatongError } from '../errors/datong-error.ts';
import { createMetrics, type HubMetrics } from '../observability/metrics.ts';
import { newId } from '../record/ids.ts';
import { Acceptor } from '../runtime/acceptor.ts';
import { ConnectorPool } from '../runtime/connector-pool.ts';
import { Hooks } from '../runtime/hooks.ts';
import { PlanCache } from '../runtime/plan-cache.ts';
import { syncSchedules } from '../runtime/schedules.ts';
import { TimerLoop } from '../runtime/timer-loop.ts';
import { Worker } from '../runtime/worker.ts';
import type { Logger } from '../sdk/logger.ts';
import { loadKeyring, type Keyring } from '../secrets/master-key.ts';
import { resolveSecrets } from '../secrets/resolve-secrets.ts';
import type { Db } from '../store/db.ts';
import { openStore, redactUrl } from '../store/open-store.ts';
import { pendingCount, type AcceptResult, type NewRecord } from '../store/queue.ts';
import { applyRetention, DEFAULT_RETENTION } from '../store/retention.ts';
import { latestSnapshot, saveSnapshot, type Snapshot } from '../store/snapshots.ts';
import { loadWorkspace } from '../workspace/load-workspace.ts';
import { workspaceDigest } from '../workspace/digest.ts';
import type { Finding } from '../workspace/finding.ts';
import { formatFinding } from '../workspace/format-finding.ts';

export interface HubOptions {
  workspaceDir: string;
  /** Overrides the workspace's store URL (DATONG_STORE_URL). */
  storeUrl?: string;
  dataDir?: string;
  logger?: Logger;
  env?: Record<string, string | undefined>;
  /** Run a worker and the timer loop in this process (default true). */
  work?: boolean;
  workerId?: string;
  worker?: { batchSize?: number; maxBatchesInFlight?: number; leaseMs?: number };
  synchronous?: 'FULL' | 'NORMAL';
  defaultMetrics?: boolean;
}

export class Hub {
  readonly hooks: Hooks;
  readonly pool: ConnectorPool;
  readonly plans: PlanCache;
  readonly audit: AuditLog;
  readonly metrics: HubMetrics;
  readonly id: string;
  private readonly acceptor: Acceptor;
  private readonly worker: Worker;
  private readonly timers: TimerLoop;
  private active: Snapshot | undefined;
  private retentionTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private readonly backlog = new Map<string, { count: number; at: number }>();
  private readonly secretCache = new Map<string, string>();

  private constructor(
    readonly db: Db,
    readonly keyring: Keyring,
    readonly options: HubOptions & { dataDir: string; logger: Logger; env: Record<string, string | undefined> },
  ) {
    this.id = options.workerId ?? `${hostname()}:${process.pid}:${newId().slice(-6)}`;
    this.hooks = new Hooks((error, hook) => options.logger.warn({ hook, err: String(error) }, 'hook listener failed'));
    this.pool = new ConnectorPool({
      connectors: CONNECTORS,
      resolveSecrets: (config, path) => resolveSecrets(config, { env: options.env, keyring, path }),
      baseDir: resolve(options.workspaceDir),
      logger: options.logger,
    });
    this.plans = new PlanCache(db, this.pool);
    this.audit = new AuditLog(db);
    this.metrics = createMetrics({ db, hooks: this.hooks, defaultMetrics: options.defaultMetrics });
    this.acceptor = new Acceptor(db, {
      onCommitted: (records) => {
        const perFlow = new Map<string, number>();
        for (const record of records) perFlow.set(record.flow, (perFlow.get(record.flow) ?? 0) + 1);
        for (const [flow, count] of perFlow) this.hooks.emit('accepted', { flow, count });
        this.worker.wake();
      },
    });
    this.worker = new Worker({ db, id: this.id, plans: this.plans, pool: this.pool, hooks: this.hooks, logger: options.logger, ...options.worker });
    this.timers = new TimerLoop({
      db,
      owner: this.id,
      pool: this.pool,
      logger: options.logger,
      onReady: () => this.worker.wake(),
      onAccepted: (flow, count) => this.hooks.emit('accepted', { flow, count }),
    });
  }

  /** Opens the store, applies the workspace folder as the active snapshot, starts working. */
  static async start(options: HubOptions): Promise<Hub> {
    const env = options.env ?? process.env;
    const logger = options.logger ?? (pino({ level: env.DATONG_LOG_LEVEL ?? 'info' }) as unknown as Logger);
    const dataDir = resolve(options.dataDir ?? env.DATONG_DATA_DIR ?? 'data');
    const loaded = await loadOrThrow(options.workspaceDir);
    const storeUrl = options.storeUrl ?? env.DATONG_STORE_URL ?? loaded.workspace.file.store?.url ?? `sqlite:${resolve(dataDir, 'datong.db')}`;
    const db = await openStore({ url: storeUrl, baseDir: options.workspaceDir, synchronous: options.synchronous });
    const keyring = await loadKeyring({ dataDir, env });
    const worker = { ...options.worker, leaseMs: options.worker?.leaseMs ?? leaseFromEnv(env) };
    const hub = new Hub(db, keyring, { ...options, worker, env, logger, dataDir });
    logger.info({ store: redactUrl(storeUrl) }, 'store open');
    await hub.applyLoaded(loaded, 'system', 'start');
    if (options.work !== false) {
      hub.worker.start();
      hub.timers.start();
      hub.retentionTimer = setInterval(() => void hub.retention(), 3_600_000).unref();
    }
    return hub;
  }

  get snapshot(): Snapshot {
    if (!this.active) throw new DatongError('DT_RUNTIME_INTERNAL', { params: { reason: 'no active snapshot' } });
    return this.active;
  }

  get logger(): Logger {
    return this.options.logger;
  }

  get workspaceDir(): string {
    return this.options.workspaceDir;
  }

  /** Re-reads the workspace folder; a changed workspace becomes the next snapshot. */
  async apply(actor: string): Promise<{ snapshot: Snapshot; created: boolean }> {
    return this.applyLoaded(await loadOrThrow(this.options.workspaceDir), actor, 'apply');
  }

  private async applyLoaded(loaded: { workspace: Snapshot['workspace']; warnings: Finding[] }, actor: string, source: string): Promise<{ snapshot: Snapshot; created: boolean }> {
    for (const warning of loaded.warnings) this.logger.warn({ code: warning.code }, formatFinding(warning));
    const result = await saveSnapshot(this.db, { workspace: loaded.workspace, digest: workspaceDigest(loaded.workspace), actor, source }, async (tx, snapshot) => {
      await this.audit.append({ actor, action: 'config.apply', target: `snapshot/${snapshot.id}`, details: { source, digest: snapshot.digest } }, tx);
    });
    this.active = result.snapshot;
    await syncSchedules(this.db, result.snapshot);
    this.logger.info({ snapshot: result.snapshot.id, created: result.created }, 'workspace active');
    return result;
  }

  /** Latest snapshot in the store (another hub may have applied a newer one). */
  async refreshSnapshot(): Promise<Snapshot> {
    const latest = await latestSnapshot(this.db);
    if (latest && (!this.active || latest.id > this.active.id)) this.active = latest;
    return this.snapshot;
  }

  /** Commits records durably; resolves only after the commit, so the caller may then acknowledge. */
  async accept(records: NewRecord[]): Promise<AcceptResult[]> {
    if (this.closing) throw new DatongError('DT_RUNTIME_SHUTTING_DOWN');
    return this.acceptor.accept(records);
  }

  /** Pending records of a flow, cached for a second (backpressure checks run per delivery). */
  async pending(flow: string): Promise<number> {
    const cached = this.backlog.get(flow);
    if (cached && Date.now() - cached.at < 1000) return cached.count;
    const count = await pendingCount(this.db, flow);
    this.backlog.set(flow, { count, at: Date.now() });
    return count;
  }

  /** Resolves a secret reference; cached, since webhook secrets are needed for every delivery. */
  resolveSecret(value: string, path: string): string {
    const key = `${path}\u0000${value}`;
    let resolved = this.secretCache.get(key);
    if (resolved === undefined) {
      resolved = resolveSecrets(value, { env: this.options.env, keyring: this.keyring, path }) as string;
      if (this.secretCache.size > 1000) this.secretCache.clear();
      this.secretCache.set(key, resolved);
    }
    return resolved;
  }

  wake(): void {
    this.worker.wake();
  }

  async retention(): Promise<void> {
    try {
      await applyRetention(this.db, { ...DEFAULT_RETENTION, ...this.active?.workspace.file.retention });
    } catch (error) {
      this.logger.warn({ err: String(error) }, 'retention pass failed');
    }
  }

  /** Graceful stop: no new records, finish in-flight batches, close connectors and the store. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.retentionTimer);
    await this.acceptor.drain();
    await this.timers.stop();
    await this.worker.stop(graceMs);
    await this.pool.closeAll();
    await this.db.close();
  }
}

export class WorkspaceInvalidError extends DatongError {
  constructor(readonly findings: Finding[]) {
    super('DT_CONFIG_INVALID', { params: { reason: `${findings.length} problem(s) in the workspace` }, details: { findings } });
  }
}

/** DATONG_LEASE_MS: how long a worker's lease on a record lasts before another worker may take it over. */
function leaseFromEnv(env: Record<string, string | undefined>): number | undefined {
  const value = env.DATONG_LEASE_MS;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 100) {
    throw new DatongError('DT_CONFIG_INVALID', { params: { reason: `DATONG_LEASE_MS must be a whole number of milliseconds ≥ 100, not "${value}"` } });
  }
  return Number(value);
}

async function loadOrThrow(dir: string): Promise<{ workspace: Snapshot['workspace']; warnings: Finding[] }> {
  const result = await loadWorkspace(dir, { connectors: CONNECTORS });
  if (!result.workspace) throw new WorkspaceInvalidError(result.findings.filter((finding) => finding.severity === 'error'));
  return { workspace: result.workspace, warnings: result.findings };
}
