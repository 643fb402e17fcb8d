/**
 * A stable fingerprint of a loaded workspace: sha256 over canonical JSON (object keys sorted,
 * undefined dropped). Equal content gives equal digests whatever the key order or formatting
 * of the files, so a new snapshot is numbered only when something really changed.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../encoding/canonical-json.ts';
import type { Workspace } from './schema.ts';

export function workspaceDigest(workspace: Workspace): string {
  return createHash('sha256').update(canonicalJson(workspace)).digest('hex');
}
