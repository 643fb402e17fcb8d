import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderWorkspaceDocs } from './workspace-docs.ts';

const DOCS = fileURLToPath(new URL('../../docs/workspace.md', import.meta.url));

describe('docs/workspace.md', () => {
  it('is up to date with the schemas (regenerate: node bin/run-ts.js scripts/gen-workspace-docs.ts)', () => {
    expect(readFileSync(DOCS, 'utf8')).toBe(renderWorkspaceDocs());
  });

  it('lists every step kind with its fields, defaults and allowed values', () => {
    const docs = renderWorkspaceDocs();
    for (const kind of ['map', 'filter', 'validate', 'route', 'split', 'aggregate', 'lookup', 'write']) expect(docs).toContain(`#### \`${kind}\``);
    expect(docs).toContain('| `missed` | `skip` \\| `once` \\| `all` |  | `"once"` |');
    expect(docs).toContain('| `routes[].to` | string | yes |  | Id of the step to continue with |');
    expect(docs).toContain('| `read.pageSize` | integer (≥ 1, ≤ 10000) |  | `500` |');
  });
});
