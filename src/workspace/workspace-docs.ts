/**
 * Renders docs/workspace.md from the workspace schemas: one table of fields per file kind,
 * one per trigger and step kind, with types, defaults, allowed values and descriptions.
 * `scripts/gen-workspace-docs.ts` writes it; a test fails when the file is out of date.
 */
import type { TSchema } from 'typebox';
import { API_VERSION, FlowSchema, MappingSchema, SystemSchema, WorkspaceFileSchema } from './schema.ts';

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  required?: string[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

const INTRO = `# Workspace files

<!-- Generated from src/workspace/schema.ts by \`node bin/run-ts.js scripts/gen-workspace-docs.ts\`. Do not edit by hand. -->

A workspace is a folder of YAML files that \`datong validate\` can lint:

\`\`\`
datong.yaml          the workspace itself (apiVersion: ${API_VERSION})
systems/<id>.yaml    one system per file: what to connect to, with which connector
mappings/<id>.yaml   one mapping per file: how records are reshaped
flows/<id>.yaml      one flow per file: a trigger, then steps
\`\`\`

- A resource's **id** is its file name without \`.yaml\` or \`.yml\`: lower-case letters, digits and dashes.
  Flows name systems and mappings by these ids.
- A step's id defaults to \`<type>-<position>\`, counting from 1 (the third step, a write, is \`write-3\`); \`route\` steps name steps by id.
- Secrets never sit in the files in clear: write \`\${env:NAME}\` (read from the environment) or an encrypted
  \`enc:v1:…\` value. Inside \`[ … ]\` or \`{ … }\` quote them: \`secrets: ["\${env:SHOP_SECRET}"]\`.
- YAML 1.2: \`0012\` is the number 12; quote codes that must stay text (\`"0012"\`).
- Problems are reported as \`file:line:col path — message [DT_…]\`; the codes are listed in [errors.md](errors.md).

`;

export function renderWorkspaceDocs(): string {
  const parts = [INTRO];
  parts.push(section('## datong.yaml', WorkspaceFileSchema, 'The workspace: its name, defaults and store.'));
  parts.push(
    section(
      '## systems/&lt;id&gt;.yaml',
      SystemSchema,
      'An external system and the connector that talks to it. `config` is checked against the connector\'s own schema (see [connectors.md](connectors.md)).',
    ),
  );
  const mappingFields = MappingSchema as JsonSchema;
  parts.push(section('## mappings/&lt;id&gt;.yaml', MappingSchema, 'A pure reshaping of a record: output fields from input paths, constants or expressions.'));
  const rule = mappingFields.properties!.fields.patternProperties!['^.*$'].anyOf!.find((branch) => branch.properties);
  if (rule) parts.push(section('### Field rule', rule as TSchema, `${rule.description ?? ''}. A plain string instead of a rule is short for \`{ from: <path> }\`.`));
  const flow = FlowSchema as JsonSchema;
  parts.push(section('## flows/&lt;id&gt;.yaml', FlowSchema, 'A trigger that brings records in, and the steps each record goes through.'));
  parts.push('### Triggers\n\n');
  for (const trigger of flow.properties!.trigger.anyOf!) parts.push(section(`#### \`${String(trigger.properties!.type.const)}\``, trigger as TSchema, trigger.description ?? ''));
  parts.push('### Steps\n\n');
  for (const step of flow.properties!.steps.items!.anyOf!) parts.push(section(`#### \`${String(step.properties!.type.const)}\``, step as TSchema, step.description ?? ''));
  return parts.join('').trimEnd() + '\n';
}

export function section(heading: string, schema: TSchema, intro: string): string {
  const rows = fieldRows(schema as JsonSchema, '');
  const table = ['| Field | Type | Required | Default | Description |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
  return `${heading}\n\n${intro ? `${intro}\n\n` : ''}${table}\n\n`;
}

/** One row per property; plain nested objects and lists of objects are flattened (`a.b`, `a[].b`). */
function fieldRows(schema: JsonSchema, prefix: string): string[] {
  const rows: string[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${name}`;
    rows.push(`| \`${path}\` | ${cell(typeOf(property))} | ${required.has(name) ? 'yes' : ''} | ${property.default === undefined ? '' : `\`${JSON.stringify(property.default)}\``} | ${cell(property.description ?? '')} |`);
    if (isDiscriminatedUnion(property)) continue;
    if (property.properties) rows.push(...fieldRows(property, `${path}.`));
    else if (property.items?.properties) rows.push(...fieldRows(property.items, `${path}[].`));
  }
  return rows;
}

function isDiscriminatedUnion(schema: JsonSchema): boolean {
  const branches = schema.anyOf ?? schema.items?.anyOf;
  return !!branches && branches.every((branch) => branch.properties?.type?.const !== undefined);
}

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(' | ');
  if (schema.anyOf) {
    if (schema.anyOf.every((branch) => branch.const !== undefined)) return schema.anyOf.map((branch) => `\`${String(branch.const)}\``).join(' | ');
    if (isDiscriminatedUnion(schema)) return `one of: ${schema.anyOf.map((branch) => `\`${String(branch.properties!.type.const)}\``).join(', ')}`;
    return schema.anyOf.map((branch) => (branch.properties ? 'field rule' : typeOf(branch))).join(' or ');
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
  if (type === 'array') {
    const items = schema.items;
    const inner = !items ? 'any' : isDiscriminatedUnion(schema) ? 'steps' : items.properties ? 'mappings' : `${typeOf(items)}s`;
    return `list of ${inner}${limits(schema)}`;
  }
  if (type === 'object') {
    const values = Object.values(schema.patternProperties ?? {})[0];
    if (schema.properties || !values) return 'mapping';
    return values.type === undefined && !values.anyOf ? 'mapping' : `mapping of name → ${typeOf(values)}`;
  }
  return `${type ?? 'any'}${limits(schema)}`;
}

function limits(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) parts.push(`≤ ${schema.maximum}`);
  if (schema.minItems !== undefined) parts.push(`at least ${schema.minItems}`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems}`);
  if (schema.pattern !== undefined) parts.push(`matching \`${schema.pattern}\``);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Table cell text: pipes escaped, and outside `code` spans the characters Markdown would eat. */
function cell(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(/[<>*_]/g, (char) => ({ '<': '&lt;', '>': '&gt;' })[char] ?? `\\${char}`)))
    .join('')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
}
