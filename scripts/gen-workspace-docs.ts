// Writes docs/workspace.md from the workspace schemas: node bin/run-ts.js scripts/gen-workspace-docs.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderWorkspaceDocs } from '../src/workspace/workspace-docs.ts';

mkdirSync('docs', { recursive: true });
writeFileSync('docs/workspace.md', renderWorkspaceDocs());
console.log('wrote docs/workspace.md');
