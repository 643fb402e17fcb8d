/**
 * Finds the store a hub started from the same folder would use, so `datong token create` works
 * before any token exists: --store, then DATONG_STORE_URL, then the workspace's `store.url`,
 * then `sqlite:<data-dir>/datong.db` (the same order as `datong start`).
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { WORKSPACE_FILE } from '../../workspace/workspace-files.ts';

export interface StoreLocation {
  workspace: string;
  store?: string;
  dataDir?: string;
}

export async function resolveStoreUrl(options: StoreLocation, env: Record<string, string | undefined> = process.env): Promise<string> {
  if (options.store) return options.store;
  if (env.DATONG_STORE_URL) return env.DATONG_STORE_URL;
  const fromWorkspace = await workspaceStoreUrl(options.workspace);
  if (fromWorkspace) return fromWorkspace;
  return `sqlite:${resolve(options.dataDir ?? env.DATONG_DATA_DIR ?? 'data', 'datong.db')}`;
}

async function workspaceStoreUrl(dir: string): Promise<string | undefined> {
  const text = await readFile(join(dir, WORKSPACE_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const url = (parse(text) as { store?: { url?: unknown } } | null)?.store?.url;
    return typeof url === 'string' ? url : undefined;
  } catch {
    // An unreadable datong.yaml is `datong validate`'s business; fall back to the default store.
    return undefined;
  }
}
