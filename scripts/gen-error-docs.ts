/** Writes docs/errors.md from the error catalogue: `node bin/run-ts.js scripts/gen-error-docs.ts`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERROR_CATALOGUE } from '../src/errors/catalogue.ts';

export function renderErrorDocs(): string {
  const areas = new Map<string, string[]>();
  for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
    const area = code.split('_')[1];
    const rows = areas.get(area) ?? [];
    rows.push(`| \`${code}\` | ${spec.status} | ${spec.retryable ? 'yes' : 'no'} | ${spec.en.replaceAll('|', '\\|')} | ${spec.zh.replaceAll('|', '\\|')} |`);
    areas.set(area, rows);
  }
  const sections = [...areas].map(
    ([area, rows]) => `## ${area}\n\n| code | HTTP | retryable | message | 中文 |\n| --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`,
  );
  return `# Error codes

Every error datong reports carries a stable code \`DT_<AREA>_<WHAT>\`: in API answers
(\`{ code, message, details }\`), CLI output (\`✖ message [DT_…]\`), dead letters, run traces,
logs and the \`code\` label of \`datong_records_failed_total\`. Search for the code to land here.

*Retryable* says whether the hub tries again on its own (with exponential back-off and jitter,
never sooner than a target's \`Retry-After\`) before a record goes to the dead-letter queue. A
connector may override the flag when the data says otherwise (for example a lookup whose step
says \`onMissing: retry\`). \`{name}\` in a message is filled from the error's parameters.

This file is generated from \`src/errors/catalogue.ts\` by \`node bin/run-ts.js scripts/gen-error-docs.ts\`;
a test fails when it is out of date.

${sections.join('\n')}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), renderErrorDocs());
  console.log('wrote docs/errors.md');
}
