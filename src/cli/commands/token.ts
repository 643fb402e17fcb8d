import type { Command } from 'commander';
import { ROLES, type Role } from '../../auth/roles.ts';
import type { TokenInfo } from '../../auth/tokens.ts';
import { DatongError } from '../../errors/datong-error.ts';
import { localTime, table } from './format.ts';
import { clientFor, hubCommand, print, printJson, type HubCommandOptions } from './hub-options.ts';
import { resolveStoreUrl } from './token-store.ts';

interface CreateOptions {
  name: string;
  role: string;
  workspace: string;
  store?: string;
  dataDir?: string;
  json?: boolean;
}

/**
 * `datong token create` opens the store directly (it must work before any token exists, and
 * with the hub stopped); `token list` and `token revoke` go through a running hub's API.
 */
export function tokenCommand(program: Command): void {
  const token = program.command('token').description('API tokens for the HTTP API and this CLI');

  token
    .command('create')
    .description('Create an API token in the store (no running hub needed); prints the token once')
    .requiredOption('--name <name>', 'who or what uses it, e.g. "财务对账脚本"')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('-w, --workspace <dir>', 'workspace folder, for its store.url', '.')
    .option('--store <url>', 'store URL: sqlite:<file> or postgres://… (env DATONG_STORE_URL)')
    .option('--data-dir <dir>', 'folder of the default SQLite store (env DATONG_DATA_DIR)', process.env.DATONG_DATA_DIR ?? 'data')
    .option('--json', 'print { id, name, role, token } as JSON')
    .action(async (options: CreateOptions) => {
      if (!(ROLES as readonly string[]).includes(options.role)) {
        throw new DatongError('DT_API_BAD_REQUEST', { params: { reason: `unknown role "${options.role}" (one of ${ROLES.join(', ')})` } });
      }
      const { openStore } = await import('../../store/open-store.ts');
      const { AuditLog } = await import('../../audit/audit-log.ts');
      const { createToken } = await import('../../auth/tokens.ts');
      const db = await openStore({ url: await resolveStoreUrl(options), baseDir: options.workspace });
      try {
        const created = await createToken(db, { name: options.name, role: options.role as Role, createdBy: `cli:${process.env.USER ?? 'local'}` }, new AuditLog(db));
        if (options.json) return printJson({ id: created.id, name: options.name, role: options.role, token: created.token });
        print(`✔ token "${options.name}" (${options.role}) created — shown this once, store it now:`, '', `  DATONG_TOKEN=${created.token}`, '');
      } finally {
        await db.close();
      }
    });

  hubCommand(token, 'list', 'List API tokens (names, roles, last use; never the tokens)').action(async (options: HubCommandOptions) => {
    const { items } = await clientFor(options).get<{ items: TokenInfo[] }>('/tokens');
    if (options.json) return printJson(items);
    print(
      table(
        ['ID', 'NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'],
        items.map((item) => [item.id, item.name, item.role, localTime(item.createdAt), localTime(item.lastUsedAt), item.revokedAt ? localTime(item.revokedAt) : '']),
      ),
    );
  });

  hubCommand(token, 'revoke', 'Revoke an API token; requests with it are refused from now on')
    .argument('<id>', 'token id (see token list)')
    .action(async (id: string, options: HubCommandOptions) => {
      const result = await clientFor(options).delete<{ revoked: boolean }>(`/tokens/${encodeURIComponent(id)}`);
      if (options.json) return printJson(result);
      print(`✔ token ${id} revoked`);
    });
}
