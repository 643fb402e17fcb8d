/**
 * Live connector instances, one per system definition. A system whose definition changes in a
 * newer snapshot gets a new instance; records pinned to the older snapshot keep the old one
 * until the hub stops. Secrets are resolved here, right before the factory, and never kept in
 * the snapshot in clear.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../encoding/canonical-json.ts';
import { DatongError } from '../errors/datong-error.ts';
import type { Connector, ConnectorSpec } from '../sdk/connector.ts';
import type { Logger } from '../sdk/logger.ts';
import type { SystemFile, Workspace } from '../workspace/schema.ts';
import { TargetLimiter } from './limiter.ts';

export interface LiveConnector {
  systemId: string;
  spec: ConnectorSpec<any>;
  connector: Connector;
  limiter: TargetLimiter;
  timezone: string;
}

export interface ConnectorPoolOptions {
  connectors: ReadonlyMap<string, ConnectorSpec<any>>;
  /** Turns `${env:…}` and `enc:v1:…` values into clear values. */
  resolveSecrets: (config: unknown, path: string) => unknown;
  baseDir: string;
  logger: Logger;
}

export class ConnectorPool {
  private readonly live = new Map<string, LiveConnector>();

  constructor(private readonly options: ConnectorPoolOptions) {}

  get(workspace: Workspace, systemId: string): LiveConnector {
    const system = workspace.systems[systemId];
    if (!system) throw new DatongError('DT_CONFIG_UNKNOWN_SYSTEM', { params: { system: systemId } });
    const key = `${systemId}:${digest(system)}`;
    let live = this.live.get(key);
    if (!live) {
      live = this.create(workspace, systemId, system);
      this.live.set(key, live);
    }
    return live;
  }

  private create(workspace: Workspace, systemId: string, system: SystemFile): LiveConnector {
    const spec = this.options.connectors.get(system.type);
    if (!spec) throw new DatongError('DT_CONFIG_UNKNOWN_CONNECTOR', { params: { type: system.type }, where: { system: systemId } });
    const timezone = system.timezone ?? workspace.file.timezone ?? 'Asia/Shanghai';
    const config = this.options.resolveSecrets(system.config, `systems/${systemId}.config`);
    const connector = spec.create(config, {
      systemId,
      timezone,
      baseDir: this.options.baseDir,
      logger: this.options.logger.child({ system: systemId }),
    });
    return { systemId, spec, connector, limiter: new TargetLimiter(system.concurrency ?? 4, system.rateLimit), timezone };
  }

  async closeAll(): Promise<void> {
    const all = [...this.live.values()];
    this.live.clear();
    await Promise.allSettled(all.map((live) => live.connector.close()));
  }
}

function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}
