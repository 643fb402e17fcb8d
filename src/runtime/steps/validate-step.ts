import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { DatongError } from '../../errors/datong-error.ts';
import type { CompiledStep } from './step.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
let shared: Ajv | undefined;

function ajv(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: true, strict: false });
    addFormats(shared);
  }
  return shared;
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'required') return `must have property "${(error.params as { missingProperty: string }).missingProperty}"`;
  if (error.keyword === 'enum') return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  return error.message ?? error.keyword;
}

/** JSON Schema check of the payload; a failure names the failing path and goes to quarantine. */
export function validateStep(options: { id: string; index: number; schema: Record<string, unknown> }): CompiledStep {
  const check = ajv().compile(options.schema);
  return {
    id: options.id,
    type: 'validate',
    index: options.index,
    run(payload) {
      if (check(payload)) return { kind: 'continue', payload };
      const errors = check.errors ?? [];
      const first = errors[0];
      const path = first ? first.instancePath || '/' : '/';
      throw new DatongError('DT_VALIDATE_FAILED', {
        params: { path, reason: first ? describe(first) : 'invalid' },
        where: { path },
        details: { violations: errors.map((error) => ({ path: error.instancePath || '/', message: describe(error) })) },
      });
    },
  };
}
