/**
 * Real services the integration tests talk to. On a laptop without one, its tests skip with a
 * loud message; under CI=true a missing service fails the test instead of skipping it.
 */
import net from 'node:net';

export const SERVICES = {
  postgres: { host: '127.0.0.1', port: 5432, url: process.env.DATONG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  mariadb: { host: '127.0.0.1', port: 3306, url: process.env.DATONG_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test' },
} as const;

export type ServiceName = keyof typeof SERVICES;

const reachable = new Map<ServiceName, Promise<boolean>>();

function probe(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function isReachable(name: ServiceName): Promise<boolean> {
  let result = reachable.get(name);
  if (!result) {
    result = probe(SERVICES[name].host, SERVICES[name].port);
    reachable.set(name, result);
  }
  return result;
}

/**
 * Resolves to true when the service is up. When it is down: under CI throws (the test fails),
 * otherwise prints a loud warning and resolves false so the caller can skip.
 */
export async function requireService(name: ServiceName): Promise<boolean> {
  if (await isReachable(name)) return true;
  const message = `SERVICE MISSING: ${name} at ${SERVICES[name].host}:${SERVICES[name].port} — its tests are skipped`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: failing instead)`);
  console.warn(`\n!!! ${message} !!!\n`);
  return false;
}

/** Top-level-await friendly flag for `describe.runIf(...)`. */
export async function serviceAvailable(name: ServiceName): Promise<boolean> {
  return requireService(name);
}
