/**
 * Scratch folders for fault tests, on tmpfs (/dev/shm) when there is one. A SIGKILL loses no
 * data the process had handed to the kernel, so a kill -9 behaves the same on tmpfs as on a
 * disk, while tmpfs makes fsync free: the tests then spend their time on kills and recovery,
 * not on a slow disk. (Power loss is not what these tests simulate.)
 */
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function faultTempDir(prefix: string): string {
  let base = tmpdir();
  try {
    accessSync('/dev/shm', constants.W_OK);
    base = '/dev/shm';
  } catch {
    // No tmpfs: the normal temp folder works too, only slower.
  }
  return mkdtempSync(join(base, `datong-${prefix}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** `join(dir, name)`, created (writeWorkspace wants an existing folder). */
export function subDir(dir: string, name: string): string {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  return path;
}
