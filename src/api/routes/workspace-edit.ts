/**
 * Changes a workspace file and makes the result the next snapshot, or changes nothing: when the
 * workspace no longer loads (a flow names the system just deleted, a mapping no longer fits) or
 * the apply fails for any reason, the resource's files are put back byte for byte and the error
 * (with its findings) goes to the caller. Edits run one at a time per hub, so a rollback never
 * undoes someone else's change.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hub } from '../../hub/hub.ts';
import type { ResourceKind } from '../../workspace/schema.ts';

export interface EditResult {
  snapshot: number;
  created: boolean;
}

const queues = new WeakMap<Hub, Promise<unknown>>();

/** Runs `task` after every edit queued on this hub before it. */
function serialize<T>(hub: Hub, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(hub) ?? Promise.resolve();
  const next = previous.then(task, task);
  queues.set(
    hub,
    next.catch(() => undefined),
  );
  return next;
}

/** Both spellings a resource file may have; the loader accepts either. */
export function resourceFiles(kind: ResourceKind, id: string): string[] {
  return [`${kind}/${id}.yaml`, `${kind}/${id}.yml`];
}

/** The current text of the resource's files (undefined where a file does not exist). */
export async function readResourceFiles(dir: string, kind: ResourceKind, id: string): Promise<Map<string, string | undefined>> {
  const texts = new Map<string, string | undefined>();
  for (const file of resourceFiles(kind, id)) texts.set(file, await readFile(join(dir, file), 'utf8').catch(() => undefined));
  return texts;
}

export function editResource(
  hub: Hub,
  edit: { kind: ResourceKind; id: string; actor: string; change: (original: Map<string, string | undefined>) => Promise<void> },
): Promise<EditResult> {
  return serialize(hub, async () => {
    const dir = hub.workspaceDir;
    const original = await readResourceFiles(dir, edit.kind, edit.id);
    await edit.change(original);
    try {
      const { snapshot, created } = await hub.apply(edit.actor);
      return { snapshot: snapshot.id, created };
    } catch (error) {
      await restore(dir, original);
      throw error;
    }
  });
}

/** Re-reads the whole folder, queued behind any edit in progress. */
export function applyWorkspace(hub: Hub, actor: string): Promise<EditResult> {
  return serialize(hub, async () => {
    const { snapshot, created } = await hub.apply(actor);
    return { snapshot: snapshot.id, created };
  });
}

async function restore(dir: string, original: Map<string, string | undefined>): Promise<void> {
  for (const [file, text] of original) {
    if (text === undefined) await rm(join(dir, file), { force: true });
    else await writeFile(join(dir, file), text, 'utf8');
  }
}
