/**
 * Renders docs/connector-reference.md from the connector specs in the registry: each
 * connector's config and step options, straight from the schemas it declares.
 * `node bin/run-ts.js scripts/gen-connector-docs.ts` writes it; a test fails when it is stale.
 */
import type { TSchema } from 'typebox';
import { section } from '../workspace/workspace-docs.ts';
import { CONNECTORS } from './registry.ts';

export function renderConnectorDocs(): string {
  const parts = [
    `# Connector reference\n\n<!-- Generated from the connector specs by \`node bin/run-ts.js scripts/gen-connector-docs.ts\`. Do not edit by hand. -->\n\n` +
      `Each system file names a connector \`type\`; its \`config\` and the \`options\` of the steps that use it are checked against the schemas below. ` +
      `Fields marked secret are redacted in logs and API answers and may hold \`\${env:NAME}\` or \`enc:v1:…\` values. The contract itself is in [connectors.md](connectors.md).\n\n`,
  ];
  for (const spec of [...CONNECTORS.values()].sort((a, b) => a.type.localeCompare(b.type))) {
    parts.push(`## \`${spec.type}\` — ${spec.title.en} / ${spec.title.zh}\n\n${spec.description}\n\nCapabilities: ${spec.capabilities.map((c) => `\`${c}\``).join(', ')}.\n\n`);
    parts.push(section('### config', spec.configSchema, ''));
    const options: [string, TSchema | undefined][] = [
      ['### write step `options`', spec.writeOptionsSchema],
      ['### schedule trigger `read.options`', spec.readOptionsSchema],
      ['### lookup step `options`', spec.lookupOptionsSchema],
    ];
    for (const [heading, schema] of options) if (schema) parts.push(section(heading, schema, ''));
  }
  return parts.join('').trimEnd() + '\n';
}
