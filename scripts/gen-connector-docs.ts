// Writes docs/connector-reference.md from the connector specs: node bin/run-ts.js scripts/gen-connector-docs.ts
import { writeFileSync } from 'node:fs';
import { renderConnectorDocs } from '../src/connectors/connector-docs.ts';

writeFileSync('docs/connector-reference.md', renderConnectorDocs());
console.log('wrote docs/connector-reference.md');
