/** Small helpers the HTTP connector's tests share. */
import type { Connector, WriteItem, WriteOutcome } from '../../../sdk/connector.ts';
import { silentLogger, type Logger } from '../../../sdk/logger.ts';
import { httpSpec, type HttpConfig } from '../spec.ts';

export function httpSink(baseUrl: string, config: Partial<HttpConfig> = {}, logger: Logger = silentLogger): Connector {
  return httpSpec.create({ baseUrl, timeoutMs: 2_000, ...config }, { systemId: 'erp', timezone: 'Asia/Shanghai', baseDir: '.', logger });
}

export function writeItem(data: Record<string, unknown>, extra: Partial<WriteItem> = {}): WriteItem {
  const id = String(data.id);
  return { recordId: `rec-${id}`, idempotencyKey: `key-${id}`, data, ...extra };
}

export async function writeOne(
  connector: Connector,
  item: WriteItem,
  options: Record<string, unknown> = { path: '/customers/{id}', method: 'PUT' },
): Promise<WriteOutcome> {
  const [outcome] = await connector.write!({ options, items: [item] }, new AbortController().signal);
  return outcome;
}

/** A logger that keeps every line it is given, to prove what is (not) logged. */
export function recordingLogger(): Logger & { lines: unknown[] } {
  const lines: unknown[] = [];
  const logger = {
    lines,
    debug: (obj: object | string, msg?: string) => void lines.push([obj, msg]),
    info: (obj: object | string, msg?: string) => void lines.push([obj, msg]),
    warn: (obj: object | string, msg?: string) => void lines.push([obj, msg]),
    error: (obj: object | string, msg?: string) => void lines.push([obj, msg]),
    child: (bindings: Record<string, unknown>) => {
      lines.push([bindings, 'child']);
      return logger;
    },
  };
  return logger;
}
