import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../audit/audit-log.ts';
import { verifyToken } from '../../auth/tokens.ts';
import { openStore } from '../../store/open-store.ts';
import { startTestHub, type TestHub } from '../../../test/support/test-hub.ts';

const BIN = fileURLToPath(new URL('../../../bin/datong.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../workspace/fixtures/', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function datong(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, DATONG_URL: '', DATONG_TOKEN: '', ...env }, timeout: 150_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('datong CLI', () => {
  const helps: [string[], string[]][] = [
    [['start'], ['--workspace', '--store']],
    [['validate'], ['[dir]', '--json']],
    [['apply'], ['--url', '--token', '--json']],
    [['run'], ['<flow>', '--payload']],
    [['replay'], ['--flow', '--all', '[ids...]']],
    [['status'], ['--url', '--json']],
    [['trace'], ['<recordId>']],
    [['dead-letters'], ['--flow', '--state']],
    [['audit', 'verify'], ['--token', '--json']],
    [['token', 'create'], ['--name', '--role', '--workspace', '--store', '--data-dir']],
    [['token', 'list'], ['--url']],
    [['token', 'revoke'], ['<id>']],
  ];

  // Each spawn starts Node and tsx; three at a time keeps a busy 2-core machine responsive.
  it('prints --help for every command', { timeout: 240_000 }, async () => {
    for (let start = 0; start < helps.length; start += 3) {
      const batch = helps.slice(start, start + 3);
      const results = await Promise.all(batch.map(([command]) => datong([...command, '--help'])));
      results.forEach((result, index) => {
        const [command, options] = batch[index];
        expect(result.code, `${command.join(' ')} --help`).toBe(0);
        expect(result.stdout).toContain(`Usage: datong ${command.join(' ')}`);
        for (const option of options) expect(result.stdout, `${command.join(' ')} mentions ${option}`).toContain(option);
      });
    }
  });

  it('validate prints file:line:col findings and exits 1 on a broken workspace', { timeout: 120_000 }, async () => {
    const result = await datong(['validate', `${FIXTURES}unknown-system`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^flows\/shop-orders\.yaml:\d+:\d+ .*\[DT_CONFIG_UNKNOWN_SYSTEM\]$/m);
  });

  it('reports a missing token as ✖ message [DT_CODE] with a non-zero exit', { timeout: 120_000 }, async () => {
    const result = await datong(['status']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/✖ .+ \[DT_CLI_NO_TOKEN\]/);
  });

  it('token create opens the store itself and prints a working token once', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'datong-cli-'));
    try {
      const store = `sqlite:${join(dir, 'store.db')}`;
      const result = await datong(['token', 'create', '--name', '对账脚本', '--role', 'operator', '--store', store, '--json']);
      expect(result.stderr).toBe('');
      const created = JSON.parse(result.stdout) as { id: string; token: string; role: string };
      expect(created.role).toBe('operator');
      const db = await openStore({ url: store });
      try {
        expect(await verifyToken(db, created.token)).toMatchObject({ id: created.id, name: '对账脚本', role: 'operator' });
        expect((await new AuditLog(db).list({ action: 'token.create' })).entries).toHaveLength(1);
      } finally {
        await db.close();
      }
      const refused = await datong(['token', 'create', '--name', 'x', '--role', 'emperor', '--store', store]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/✖ .*emperor.* \[DT_API_BAD_REQUEST\]/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('against a running hub', () => {
    let t: TestHub;
    let env: Record<string, string>;
    beforeAll(async () => {
      t = await startTestHub();
      const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
      env = { DATONG_URL: url, DATONG_TOKEN: t.adminToken };
    });
    afterAll(async () => t?.stop());

    it('runs a flow, shows its trace and the status, as text and JSON', { timeout: 240_000 }, async () => {
      const run = await datong(['run', 'orders', '--payload', JSON.stringify({ orderNo: 'SO-CLI-1', buyer: { name: '赵六' }, totalFen: 500 }), '--json'], env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const { recordId } = JSON.parse(run.stdout) as { recordId: string };
      await t.waitForState(recordId, ['done']);

      const trace = await datong(['trace', recordId], env);
      expect(trace.code).toBe(0);
      expect(trace.stdout).toContain(`record ${recordId} — flow orders`);
      expect(trace.stdout).toMatch(/✔ to-erp-order \(map, [\d.]+ ms\)/);

      const status = await datong(['status', '--json'], env);
      expect(JSON.parse(status.stdout).snapshot.id).toBe(t.hub.snapshot.id);

      const missing = await datong(['trace', 'no-such-record'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/✖ .+ \[DT_API_NOT_FOUND\]/);
    });

    it('replays dead letters of a flow', { timeout: 180_000 }, async () => {
      const run = await datong(['run', 'orders', '--payload', JSON.stringify({ orderNo: 'SO-CLI-2', buyer: {}, totalFen: 1 }), '--json'], env);
      const { recordId } = JSON.parse(run.stdout) as { recordId: string };
      await t.waitForState(recordId, ['dead']);
      const list = await datong(['dead-letters', '--flow', 'orders'], env);
      expect(list.stdout).toContain('DT_MAP_REQUIRED');
      const replay = await datong(['replay', '--flow', 'orders'], env);
      expect(replay.code).toBe(0);
      expect(replay.stdout).toContain('✔ replayed 1 dead letter(s)');
    });
  });
});
