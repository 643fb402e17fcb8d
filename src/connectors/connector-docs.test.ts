import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConnectorDocs } from './connector-docs.ts';

describe('connector reference', () => {
  it('documents every connector from its schemas and is up to date', () => {
    const rendered = renderConnectorDocs();
    expect(rendered).toContain('## `http`');
    expect(rendered).toContain('## `sql`');
    expect(rendered).toMatch(/\| `?password`? \|/);
    const committed = readFileSync(new URL('../../docs/connector-reference.md', import.meta.url), 'utf8');
    expect(committed, 'run: node bin/run-ts.js scripts/gen-connector-docs.ts').toBe(rendered);
  });
});
