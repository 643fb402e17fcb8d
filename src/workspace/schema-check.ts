/**
 * Checks a value from a YAML file against a JSON Schema (ajv 8, all errors) and turns ajv's
 * errors into findings at the offending node. Unions are narrowed to the one branch the value
 * was meant to be (by its `type` discriminator, or its JSON type) so a bad step reports the
 * problem in that step kind only, not one error per step kind.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import type { TSchema } from 'typebox';
import { formatMessage } from '../errors/datong-error.ts';
import type { ErrorCode } from '../errors/catalogue.ts';
import type { Finding } from './finding.ts';
import { formatPath, locate, type PathSegment, type YamlSource } from './yaml-source.ts';
import { isSecretReference, closestName } from './value-helpers.ts';

// Connector schemas carry vendor keywords such as `x-secret`, so unknown keywords are allowed.
const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
(addFormatsPlugin as unknown as (ajv: Ajv) => Ajv)(ajv);

const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export interface SchemaCheck {
  source: YamlSource;
  /** The value to check: the whole file, or the part of it at `base`. */
  value: unknown;
  schema: TSchema;
  /** Where `value` sits in the file, e.g. `['steps', 2, 'options']`. */
  base?: readonly PathSegment[];
  /** What the value is, for unknown-property messages at its top level, e.g. `a flow`. */
  subject: string;
}

/** A problem to report, with the path of the node it concerns. */
interface Problem {
  path: PathSegment[];
  /** `key`: point at the property's key; `parent`: at the mapping that lacks it. */
  at: 'value' | 'key' | 'parent';
  code: ErrorCode;
  message: string;
}

export function checkSchema(check: SchemaCheck): Finding[] {
  const validate = validatorFor(check.schema);
  if (validate(check.value)) return [];
  const base = check.base ?? [];
  const problems = narrowUnions(validate.errors ?? [], check.value).flatMap((item) =>
    'keyword' in item ? describe(item, check.value, check.subject, base) : [item],
  );
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const problem of problems) {
    const path = [...base, ...problem.path];
    const located = problem.at === 'parent' ? path.slice(0, -1) : path;
    const position = locate(check.source, located, problem.at === 'key' ? 'key' : 'value');
    const finding: Finding = {
      file: check.source.file,
      line: position.line,
      column: position.column,
      path: formatPath(path),
      code: problem.code,
      message: problem.message,
      severity: 'error',
    };
    const id = `${finding.path}\u0000${finding.code}\u0000${finding.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      findings.push(finding);
    }
  }
  return findings;
}

/**
 * Replaces each failed `anyOf`/`oneOf` by the errors of the branch the value was meant to
 * match, or by one summary problem when no branch fits. Outer unions are handled first, so
 * unions inside a discarded branch disappear with it.
 */
function narrowUnions(errors: readonly ErrorObject[], root: unknown): (ErrorObject | Problem)[] {
  let kept: (ErrorObject | Problem)[] = errors.filter((error) => !isSecretReference(error.data) || keepsForSecrets(error));
  const unions = errors
    .filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length);
  for (const union of unions) {
    if (!kept.includes(union)) continue;
    const prefix = `${union.schemaPath}/`;
    const branches = union.schema as TSchema[];
    const choice = isSecretReference(union.data) ? { skip: true as const } : chooseBranch(branches, union.data, pathOf(union.instancePath, root));
    // The same union schema applies to every item of a list or record: its branch errors are
    // those under its schema path *and* at or below its instance.
    const within = (error: ErrorObject) =>
      error.schemaPath.startsWith(prefix) && (error.instancePath === union.instancePath || error.instancePath.startsWith(`${union.instancePath}/`));
    kept = kept.filter((error) => {
      if (error === union) return false;
      if (!('keyword' in error) || !within(error)) return true;
      return 'branch' in choice && error.schemaPath.startsWith(`${prefix}${choice.branch}/`);
    });
    if ('problem' in choice) kept.push(choice.problem);
  }
  return kept;
}

/** Secret references stand in for values of any type; only structural errors still apply. */
function keepsForSecrets(error: ErrorObject): boolean {
  return error.keyword === 'additionalProperties' || error.keyword === 'required';
}

type Choice = { branch: number } | { problem: Problem } | { skip: true };

function chooseBranch(branches: readonly TSchema[], data: unknown, path: PathSegment[]): Choice {
  const constants = branches.map(constantsOf);
  if (constants.every((values) => values !== undefined)) {
    return { problem: { path, at: 'value', code: 'DT_CONFIG_SCHEMA', message: `must be one of: ${constants.flat().map(String).join(', ')}` } };
  }
  const kinds = branches.map((branch) => constantsOf((branch as { properties?: Record<string, TSchema> }).properties?.type ?? {})?.[0]);
  if (kinds.every((kind) => typeof kind === 'string')) {
    if (!isPlainObject(data)) return { problem: { path, at: 'value', code: 'DT_CONFIG_SCHEMA', message: 'must be a mapping' } };
    const type = data.type;
    const branch = kinds.indexOf(type as string);
    if (branch >= 0) return { branch };
    const list = kinds.join(', ');
    if (type === undefined) {
      return { problem: { path: [...path, 'type'], at: 'parent', code: 'DT_CONFIG_SCHEMA', message: `missing required property "type" (one of: ${list})` } };
    }
    return { problem: { path: [...path, 'type'], at: 'value', code: 'DT_CONFIG_SCHEMA', message: `must be one of: ${list}` } };
  }
  const actual = jsonType(data);
  const branch = branches.findIndex((schema) => acceptsType(schema, actual));
  if (branch >= 0) return { branch };
  const expected = [...new Set(branches.map((schema) => typeName(String((schema as { type?: unknown }).type ?? 'value'))))];
  return { problem: { path, at: 'value', code: 'DT_CONFIG_SCHEMA', message: `must be ${expected.join(' or ')} (found ${foundName(actual)})` } };
}

function constantsOf(schema: TSchema): unknown[] | undefined {
  const s = schema as { const?: unknown; enum?: unknown[] };
  if ('const' in s) return [s.const];
  return Array.isArray(s.enum) ? s.enum : undefined;
}

function acceptsType(schema: TSchema, actual: string): boolean {
  const declared = (schema as { type?: string | string[] }).type;
  if (declared === undefined) return true;
  const types = Array.isArray(declared) ? declared : [declared];
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    boolean: 'true or false',
    null: 'empty',
  };
  return names[type] ?? type;
}

function foundName(type: string): string {
  return type === 'boolean' ? 'a boolean' : type === 'null' ? 'nothing' : typeName(type);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ajv's instancePath (`/steps/0/type`) as path segments; indexes into arrays become numbers. */
function pathOf(pointer: string, root: unknown): PathSegment[] {
  if (!pointer) return [];
  const path: PathSegment[] = [];
  let value = root;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path.push(Number(segment));
      value = value[Number(segment)];
    } else {
      path.push(segment);
      value = isPlainObject(value) ? value[segment] : undefined;
    }
  }
  return path;
}

function describe(error: ErrorObject, root: unknown, subject: string, base: readonly PathSegment[]): Problem[] {
  const path = pathOf(error.instancePath, root);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const where = path.length || base.length ? formatPath([...base, ...path]) : subject;
      const guess = closestName(field, known);
      const message = formatMessage('DT_CONFIG_UNKNOWN_FIELD', { field, where }) + (guess ? ` (did you mean "${guess}"?)` : '');
      return [{ path: [...path, field], at: 'key', code: 'DT_CONFIG_UNKNOWN_FIELD', message }];
    }
    case 'required':
      return [{ path: [...path, String(params.missingProperty)], at: 'parent', code: 'DT_CONFIG_SCHEMA', message: `missing required property "${String(params.missingProperty)}"` }];
    case 'const':
      return [{ path, at: 'value', code: 'DT_CONFIG_SCHEMA', message: `must be ${JSON.stringify(params.allowedValue)}` }];
    case 'enum':
      return [{ path, at: 'value', code: 'DT_CONFIG_SCHEMA', message: `must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}` }];
    case 'type':
      return [{ path, at: 'value', code: 'DT_CONFIG_SCHEMA', message: `must be ${String(params.type).split(',').map(typeName).join(' or ')} (found ${foundName(jsonType(error.data))})` }];
    case 'pattern': {
      const hint = (error.parentSchema as { description?: string } | undefined)?.description;
      return [{ path, at: 'value', code: 'DT_CONFIG_SCHEMA', message: `${error.message ?? 'is invalid'}${hint ? ` (${hint})` : ''}` }];
    }
    default:
      return [{ path, at: 'value', code: 'DT_CONFIG_SCHEMA', message: error.message ?? `fails ${error.keyword}` }];
  }
}
