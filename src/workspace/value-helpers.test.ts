import { describe, expect, it } from 'vitest';
import { isSecretReference } from './value-helpers.ts';

describe('isSecretReference', () => {
  it('knows whole ${env:NAME} and ${env:NAME:-default} references and enc:v1 values', () => {
    expect(isSecretReference('${env:ERP_PORT}')).toBe(true);
    expect(isSecretReference('${env:ERP_PORT:-5432}')).toBe(true);
    expect(isSecretReference('${env:ERP_URL:-sqlite:data/erp.db}')).toBe(true);
    expect(isSecretReference('enc:v1:k1:AAAA')).toBe(true);
  });

  it('leaves plain text and references inside other text alone', () => {
    expect(isSecretReference('七千')).toBe(false);
    expect(isSecretReference('http://127.0.0.1:${env:PORT:-7879}')).toBe(false);
    expect(isSecretReference('${env:ERP_PORT}x')).toBe(false);
    expect(isSecretReference(7000)).toBe(false);
  });
});
