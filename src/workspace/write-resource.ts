/**
 * Writes one resource (a system, flow or mapping) back to its YAML file, changing only what
 * changed: comments, key order and formatting of untouched parts stay as the author wrote them.
 * The value is checked against its schema first; the file is replaced atomically (temp file,
 * fsync, rename), so a reader never sees half a file.
 */
import { open, rename, rm, mkdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Document, parseDocument, type ToStringOptions } from 'yaml';
import { DatongError } from '../errors/datong-error.ts';
import type { ResourceKind } from './schema.ts';
import { RESOURCE_SCHEMAS } from './load-workspace.ts';
import { checkSchema } from './schema-check.ts';
import { parseYamlSource } from './yaml-source.ts';
import { applyToDocument } from './yaml-apply.ts';
import { keepFormatting } from './keep-formatting.ts';
import { canonicalJson } from '../encoding/canonical-json.ts';
import { ID_PATTERN } from './workspace-files.ts';

export async function writeResource(dir: string, kind: ResourceKind, id: string, value: unknown): Promise<void> {
  checkId(kind, id);
  const existing = await findResourceFile(dir, kind, id);
  const file = existing ?? `${kind}/${id}.yaml`;
  const original = existing === undefined ? undefined : await readFile(join(dir, existing), 'utf8');
  const text = renderYaml(original, value);
  checkValue(file, kind, text);
  if (text === original) return;
  await mkdir(join(dir, kind), { recursive: true });
  await writeAtomically(join(dir, file), text);
}

/** Removes the resource's file (both `.yaml` and `.yml` if both exist). */
export async function deleteResource(dir: string, kind: ResourceKind, id: string): Promise<void> {
  checkId(kind, id);
  const files = await existingFiles(dir, kind, id);
  if (files.length === 0) throw new DatongError('DT_CONFIG_NOT_FOUND', { params: { kind, id } });
  for (const file of files) await rm(join(dir, file));
}

/** The YAML text for `value`, edited into `original` when there is one. */
export function renderYaml(original: string | undefined, value: unknown): string {
  if (original === undefined) return new Document(value).toString(styleOf(''));
  const doc = parseDocument(original);
  // A file yaml cannot parse has no structure to keep; the new value replaces it whole.
  if (doc.errors.length) return new Document(value).toString(styleOf(''));
  const style = styleOf(original);
  const base = doc.toString(style);
  applyToDocument(doc, value);
  const next = doc.toString(style);
  const merged = keepFormatting(original, base, next);
  return merged !== next && !sameData(merged, value) ? next : merged;
}

function sameData(text: string, value: unknown): boolean {
  const doc = parseDocument(text);
  return doc.errors.length === 0 && canonicalJson(doc.toJS()) === canonicalJson(value);
}

/** Indentation of the file being edited, so lines yaml renders anew match their neighbours. */
function styleOf(text: string): ToStringOptions {
  const lines = text.split(/\r?\n/);
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  for (let i = 0; i + 1 < lines.length && (indent === undefined || indentSeq === undefined); i++) {
    const parent = /^(\s*)(- )?[^\s#-][^#]*:\s*(#.*)?$/.exec(lines[i]);
    if (!parent) continue;
    const child = /^(\s*)(-\s)?\S/.exec(lines[i + 1]);
    if (!child) continue;
    const extra = child[1].length - parent[1].length - (parent[2] ? 2 : 0);
    if (child[2] && indentSeq === undefined && extra >= 0) indentSeq = extra > 0;
    else if (!child[2] && indent === undefined && extra > 0) indent = extra;
  }
  return { indent: indent ?? 2, indentSeq: indentSeq ?? true, lineWidth: 0 };
}

function checkId(kind: ResourceKind, id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new DatongError('DT_CONFIG_FILE_NAME', { params: { file: `${kind}/${id}.yaml`, reason: 'ids are lower-case letters, digits and dashes (at most 63)' } });
  }
}

function checkValue(file: string, kind: ResourceKind, text: string): void {
  const { source } = parseYamlSource(file, text);
  const findings = checkSchema({ source, value: source.doc.toJS(), schema: RESOURCE_SCHEMAS[kind], subject: kind.slice(0, -1) });
  if (findings.length === 0) return;
  const reason = `${file} is not a valid ${kind.slice(0, -1)}: ${findings.map((finding) => `${finding.path || '(root)'} ${finding.message}`).join('; ')}`;
  throw new DatongError('DT_CONFIG_SCHEMA', { params: { reason }, where: { file }, details: { findings } });
}

async function existingFiles(dir: string, kind: ResourceKind, id: string): Promise<string[]> {
  const found: string[] = [];
  for (const extension of ['.yaml', '.yml']) {
    const file = `${kind}/${id}${extension}`;
    const handle = await open(join(dir, file), 'r').catch(() => undefined);
    if (handle) {
      await handle.close();
      found.push(file);
    }
  }
  return found;
}

async function findResourceFile(dir: string, kind: ResourceKind, id: string): Promise<string | undefined> {
  return (await existingFiles(dir, kind, id))[0];
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
