import type { Hub } from '../../hub/hub.ts';

/** What a person needs after `npm start`: where the API is, how to use the token, what runs. */
export function printBanner(options: { url: string; hub: Hub; adminToken?: string }): void {
  const { url, hub } = options;
  const workspace = hub.snapshot.workspace;
  const lines = [
    '',
    `datong (打通) is running — workspace "${workspace.file.name}", snapshot ${hub.snapshot.id}`,
    `  API       ${url}/api/v1   (OpenAPI: ${url}/docs)`,
    `  Health    ${url}/healthz   Metrics: ${url}/metrics`,
    `  Webhooks  ${url}/hooks/<flow-id>`,
  ];
  if (options.adminToken) {
    lines.push(
      '',
      '  Admin token (shown once; store it now):',
      `    DATONG_TOKEN=${options.adminToken}`,
      `  Use it:  curl -H "Authorization: Bearer $DATONG_TOKEN" ${url}/api/v1/flows`,
      `           DATONG_URL=${url} DATONG_TOKEN=… npx datong status`,
    );
  } else {
    lines.push('', '  API tokens exist already; create another with: npx datong token create --name <name> --role admin');
  }
  lines.push('', '  Flows:');
  for (const [id, flow] of Object.entries(workspace.flows)) {
    const trigger = flow.trigger.type === 'webhook' ? `webhook POST /hooks/${id}` : `schedule "${flow.trigger.cron}"`;
    lines.push(`    ${flow.enabled === false ? '○' : '●'} ${id} — ${trigger}${flow.description ? ` — ${flow.description}` : ''}`);
  }
  lines.push('');
  process.stdout.write(`${lines.join('\n')}\n`);
}
