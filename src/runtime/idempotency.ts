import { createHash } from 'node:crypto';

/**
 * The key a target sees for one record's write: derived from flow, target step and source id,
 * plus the source version when there is one (so an update of the same record is a new write,
 * while a re-sent delivery of the same version is not). Without a version the hub record id
 * stands in, so every accepted record is written once. Unchanged across retries and replays.
 */
export function idempotencyKey(parts: { flow: string; target: string; sourceId: string; version?: string; recordId: string }): string {
  const hash = createHash('sha256');
  hash.update(`${parts.flow}\u0000${parts.target}\u0000${parts.sourceId}\u0000`);
  hash.update(parts.version !== undefined ? `v:${parts.version}` : `r:${parts.recordId}`);
  return `dt-${hash.digest('hex').slice(0, 40)}`;
}
