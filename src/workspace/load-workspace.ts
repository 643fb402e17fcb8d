/**
 * Loads a workspace folder into a {@link Workspace}, reporting every problem found as a
 * {@link Finding} at its file, line and column. Passes, in order: file names → YAML syntax →
 * schema per file (apiVersion first) → references across files → connector registry
 * (config, capabilities, options) → cron and time zones. All passes run, so one call lists
 * every problem; a file with YAML errors skips the later passes.
 *
 * Secret references (`${env:NAME}`) and encrypted values (`enc:v1:…`) stay strings here.
 */
import type { TSchema } from 'typebox';
import type { ConnectorSpec } from '../sdk/connector.ts';
import { formatMessage } from '../errors/datong-error.ts';
import { hasErrors, sortFindings, type Finding } from './finding.ts';
import { API_VERSION, FlowSchema, MappingSchema, SystemSchema, WorkspaceFileSchema, type ResourceKind, type Workspace } from './schema.ts';
import { findingAt, type CheckContext, type ParsedFile, type ParsedResource } from './checked-files.ts';
import { checkSchema } from './schema-check.ts';
import { checkReferences } from './reference-checks.ts';
import { checkConnectors } from './connector-checks.ts';
import { checkTimes } from './time-checks.ts';
import { checkSecrets } from './secret-checks.ts';
import { readWorkspaceFiles, WORKSPACE_FILE } from './workspace-files.ts';
import { parseYamlSource } from './yaml-source.ts';
import { asRecord } from './value-helpers.ts';

export type { Finding } from './finding.ts';

export interface LoadOptions {
  /** Connector specs by `type`, e.g. the hub's CONNECTORS registry. */
  connectors: ReadonlyMap<string, ConnectorSpec<any>>;
}

export interface LoadResult {
  /** Set only when no finding is an error. */
  workspace?: Workspace;
  /** Sorted by file, line and column. */
  findings: Finding[];
  /** Raw text of every YAML file read, by path relative to the folder. */
  files: Record<string, string>;
}

export const RESOURCE_SCHEMAS: Record<ResourceKind, TSchema> = { systems: SystemSchema, flows: FlowSchema, mappings: MappingSchema };
const SUBJECTS: Record<ResourceKind, string> = { systems: 'a system', flows: 'a flow', mappings: 'a mapping' };

export async function loadWorkspace(dir: string, options: LoadOptions): Promise<LoadResult> {
  const read = await readWorkspaceFiles(dir);
  const findings: Finding[] = [...read.findings];
  const files: Record<string, string> = {};
  const context: CheckContext = {
    resources: { systems: new Map(), flows: new Map(), mappings: new Map() },
    connectors: options.connectors,
  };

  if (read.workspaceText !== undefined) {
    files[WORKSPACE_FILE] = read.workspaceText;
    const parsed = parse(WORKSPACE_FILE, read.workspaceText, findings);
    if (parsed) {
      findings.push(...checkWorkspaceFile(parsed));
      context.workspace = parsed;
    }
  }
  for (const resource of read.resources) {
    files[resource.file] = resource.text;
    const parsed = parse(resource.file, resource.text, findings);
    if (!parsed) continue;
    findings.push(...checkSchema({ source: parsed.source, value: parsed.value, schema: RESOURCE_SCHEMAS[resource.kind], subject: SUBJECTS[resource.kind] }));
    if (resource.id !== undefined) context.resources[resource.kind].set(resource.id, { ...parsed, kind: resource.kind, id: resource.id });
  }

  findings.push(...checkReferences(context), ...checkConnectors(context), ...checkTimes(context), ...checkSecrets(context));
  const sorted = sortFindings(findings);
  if (hasErrors(sorted) || !context.workspace) return { findings: sorted, files };
  return { workspace: toWorkspace(context), findings: sorted, files };
}

/** Parses one file; returns nothing when it has YAML errors (reported into `findings`). */
function parse(file: string, text: string, findings: Finding[]): ParsedFile | undefined {
  const { source, findings: syntax } = parseYamlSource(file, text);
  findings.push(...syntax);
  if (syntax.some((finding) => finding.severity === 'error')) return undefined;
  try {
    return { file, source, value: source.doc.toJS() };
  } catch (error) {
    // e.g. too many alias expansions: the file is not usable data.
    const reason = error instanceof Error ? error.message : String(error);
    findings.push({ file, line: 1, column: 1, path: '', code: 'DT_CONFIG_YAML_SYNTAX', message: reason, severity: 'error' });
    return undefined;
  }
}

/** datong.yaml: a wrong or missing apiVersion is its own finding instead of a schema error. */
function checkWorkspaceFile(parsed: ParsedFile): Finding[] {
  const findings = checkSchema({ source: parsed.source, value: parsed.value, schema: WorkspaceFileSchema, subject: WORKSPACE_FILE });
  const value = asRecord(parsed.value);
  if (!value || value.apiVersion === API_VERSION) return findings;
  const message =
    value.apiVersion === undefined
      ? `missing apiVersion: add "apiVersion: ${API_VERSION}"`
      : formatMessage('DT_CONFIG_API_VERSION', { apiVersion: String(value.apiVersion) });
  return [findingAt(parsed, ['apiVersion'], 'DT_CONFIG_API_VERSION', message), ...findings.filter((finding) => finding.path !== 'apiVersion')];
}

function toWorkspace(context: CheckContext): Workspace {
  const pick = (kind: ResourceKind) => Object.fromEntries([...context.resources[kind].values()].map((resource: ParsedResource) => [resource.id, resource.value]));
  return {
    file: context.workspace!.value as Workspace['file'],
    systems: pick('systems') as Workspace['systems'],
    flows: pick('flows') as Workspace['flows'],
    mappings: pick('mappings') as Workspace['mappings'],
  };
}
