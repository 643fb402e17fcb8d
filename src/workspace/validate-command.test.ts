import { describe, it, expect, afterAll } from 'vitest';
import { join } from 'node:path';
import { runValidate } from './validate-command.ts';
import { formatFinding } from './format-finding.ts';
import { fakeConnectors } from './fixtures/fake-connectors.ts';
import { FIXTURES, removeTempWorkspaces, tempWorkspace } from './fixtures/temp-workspace.ts';

afterAll(removeTempWorkspaces);

async function validate(dir: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runValidate(dir, { connectors: fakeConnectors, out: (line) => lines.push(line) });
  return { code, lines };
}

describe('formatFinding', () => {
  it('prints file:line:col path — message [code]', () => {
    const line = formatFinding({ file: 'flows/a.yaml', line: 3, column: 7, path: 'steps[2].options.table', code: 'DT_CONFIG_SCHEMA', message: 'must be a string', severity: 'error' });
    expect(line).toBe('flows/a.yaml:3:7 steps[2].options.table — must be a string [DT_CONFIG_SCHEMA]');
  });

  it('leaves out an empty path and marks warnings', () => {
    const line = formatFinding({ file: 'flows/x.txt', line: 1, column: 1, path: '', code: 'DT_CONFIG_FILE_NAME', message: 'ignored', severity: 'warning' });
    expect(line).toBe('flows/x.txt:1:1 — warning: ignored [DT_CONFIG_FILE_NAME]');
  });
});

describe('runValidate', () => {
  it('prints a summary and exits 0 for a valid workspace', async () => {
    expect(await validate(join(FIXTURES, 'valid'))).toEqual({ code: 0, lines: ['✔ workspace valid: 3 systems, 2 flows, 1 mapping'] });
  });

  it('prints each finding and a count, and exits 1', async () => {
    expect(await validate(join(FIXTURES, 'bad-cron'))).toEqual({
      code: 1,
      lines: [
        'flows/nightly-orders.yaml:4:9 trigger.cron — Invalid cron expression "0 25 * * *": Invalid value for hour: 25 [DT_CONFIG_CRON]',
        'flows/nightly-orders.yaml:5:13 trigger.timezone — Unknown time zone "Asia/Beijing": use an IANA name such as Asia/Shanghai [DT_CONFIG_TIMEZONE]',
        '✖ 2 problems',
      ],
    });
  });

  it('counts errors and warnings apart, and fails the lint on warnings too', async () => {
    const broken = await tempWorkspace({ 'systems/readme.txt': '说明', 'systems/erp.yaml': 'type: sql\nconfig: {}\n' });
    const { code, lines } = await validate(broken);
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe('✖ 2 problems (1 error, 1 warning)');

    const warned = await tempWorkspace({ 'systems/readme.txt': '说明' });
    const result = await validate(warned);
    expect(result.code).toBe(1);
    expect(result.lines.at(-1)).toBe('✖ 1 warning in an otherwise valid workspace: 0 systems, 0 flows, 0 mappings');
  });
});
