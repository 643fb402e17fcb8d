/**
 * A stable fingerprint of a loaded workspace: sha256 over canonical JSON (object keys sorted,
 * undefined dropped). Equal content gives equal digests whatever the key order or formatting
 * of the files, so a new snapshot is numbered only when something really changed.
 */
import { createHash } from 'node:crypto';
import type { Workspace } from './schema.ts';

export function workspaceDigest(workspace: Workspace): string {
  return createHash('sha256').update(canonicalJson(workspace)).digest('hex');
}

/** JSON with object keys sorted (JS default order) at every depth; the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError(`cannot digest the number ${value}`);
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${entries.join(',')}}`;
}
