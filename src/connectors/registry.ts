/**
 * The connector types the hub knows. Spec modules are light (schemas and a factory); each
 * connector loads its driver (pg, mysql2, undici…) only when a connection is first used.
 */
import type { ConnectorSpec } from '../sdk/connector.ts';
import { httpSpec } from './http/spec.ts';
import { sqlSpec } from './sql/spec.ts';

const SPECS: readonly ConnectorSpec<any>[] = [httpSpec, sqlSpec];

export const CONNECTORS: ReadonlyMap<string, ConnectorSpec<any>> = new Map(SPECS.map((spec) => [spec.type, spec]));

export function connectorSpec(type: string): ConnectorSpec<any> | undefined {
  return CONNECTORS.get(type);
}
