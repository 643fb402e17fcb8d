import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorDocs } from '../../scripts/gen-error-docs.ts';
import { ERROR_CATALOGUE } from './catalogue.ts';
import { DatongError, formatMessage, toDatongError } from './datong-error.ts';

describe('error catalogue', () => {
  it('uses DT_<AREA>_<WHAT> codes with both languages and the same parameters in each', () => {
    for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^DT_[A-Z]+_[A-Z_]+$/);
      const params = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(params(spec.zh), code).toEqual(params(spec.en));
      expect(spec.status).toBeGreaterThanOrEqual(400);
    }
  });

  it('fills message templates in English and Chinese', () => {
    const error = new DatongError('DT_MAP_DATE', { params: { field: 'order_date', value: '31/02/2026', format: 'dd/MM/yyyy' } });
    expect(error.message).toBe('Field order_date: "31/02/2026" does not match date format dd/MM/yyyy');
    expect(error.localized('zh')).toBe('字段 order_date：“31/02/2026”不符合日期格式 dd/MM/yyyy');
    expect(formatMessage('DT_SECRET_ENV_MISSING', {})).toContain('{name}');
  });

  it('turns unknown failures into retryable internal errors and keeps locations', () => {
    const internal = toDatongError(new Error('boom'), { flow: 'shop-orders' });
    expect(internal).toMatchObject({ code: 'DT_RUNTIME_INTERNAL', retryable: true, where: { flow: 'shop-orders' } });
    const known = new DatongError('DT_TARGET_REJECTED', { params: { system: 'erp', reason: 'bad' }, where: { step: 'write' } }).at({ flow: 'f', step: 'ignored' });
    expect(known.where).toEqual({ flow: 'f', step: 'write' });
    expect(known.retryable).toBe(false);
  });

  it('docs/errors.md is generated from the catalogue and up to date', () => {
    const committed = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    expect(committed, 'run: node bin/run-ts.js scripts/gen-error-docs.ts').toBe(renderErrorDocs());
  });
});
