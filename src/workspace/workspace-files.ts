/**
 * Finds the files of a workspace folder: `datong.yaml` and one resource per YAML file under
 * `systems/`, `flows/` and `mappings/`. Reports file names that cannot be ids and ids given
 * twice (`a.yaml` and `a.yml`); everything else about a file is checked after parsing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatMessage } from '../errors/datong-error.ts';
import { ID_PATTERN as ID_PATTERN_SOURCE, RESOURCE_KINDS, type ResourceKind } from './schema.ts';
import type { Finding } from './finding.ts';

export const WORKSPACE_FILE = 'datong.yaml';
export const ID_PATTERN = new RegExp(ID_PATTERN_SOURCE);
const YAML_EXTENSION = /\.ya?ml$/;

export interface ResourceFile {
  kind: ResourceKind;
  /** Id taken from the file name; `undefined` when the name is not a valid id. */
  id?: string;
  /** Relative to the workspace folder, with forward slashes. */
  file: string;
  text: string;
}

export interface WorkspaceFiles {
  /** Text of datong.yaml, absent when the file is missing. */
  workspaceText?: string;
  resources: ResourceFile[];
  findings: Finding[];
}

export async function readWorkspaceFiles(dir: string): Promise<WorkspaceFiles> {
  const findings: Finding[] = [];
  const resources: ResourceFile[] = [];
  const workspaceText = await readText(join(dir, WORKSPACE_FILE));
  if (workspaceText === undefined) {
    findings.push(fileFinding(WORKSPACE_FILE, 'DT_CONFIG_INVALID', formatMessage('DT_CONFIG_INVALID', { reason: `${WORKSPACE_FILE} is missing: ${dir} is not a workspace folder` })));
  }
  for (const kind of RESOURCE_KINDS) {
    const entries = await readdir(join(dir, kind), { withFileTypes: true }).catch(() => []);
    const byId = new Map<string, string>();
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const file = `${kind}/${entry.name}`;
      if (entry.name.startsWith('.')) continue;
      if (!entry.isFile() || !YAML_EXTENSION.test(entry.name)) {
        const reason = entry.isFile() ? 'only .yaml and .yml files are read; this one is ignored' : 'sub-folders are not read; this one is ignored';
        findings.push(fileFinding(file, 'DT_CONFIG_FILE_NAME', formatMessage('DT_CONFIG_FILE_NAME', { file, reason }), 'warning'));
        continue;
      }
      const text = (await readText(join(dir, kind, entry.name))) ?? '';
      const stem = entry.name.replace(YAML_EXTENSION, '');
      if (!ID_PATTERN.test(stem)) {
        const reason = 'the name without extension is the id and must be lower-case letters, digits and dashes (at most 63)';
        findings.push(fileFinding(file, 'DT_CONFIG_FILE_NAME', formatMessage('DT_CONFIG_FILE_NAME', { file, reason })));
        resources.push({ kind, file, text });
        continue;
      }
      const first = byId.get(stem);
      if (first) {
        findings.push(fileFinding(file, 'DT_CONFIG_DUPLICATE_ID', `${formatMessage('DT_CONFIG_DUPLICATE_ID', { id: stem })}: ${first} has the same id`));
        resources.push({ kind, file, text });
        continue;
      }
      byId.set(stem, file);
      resources.push({ kind, id: stem, file, text });
    }
  }
  return { workspaceText, resources, findings };
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function fileFinding(file: string, code: Finding['code'], message: string, severity: Finding['severity'] = 'error'): Finding {
  return { file, line: 1, column: 1, path: '', code, message, severity };
}
