import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { encrypt } from './cipher.ts';
import { logRedactPaths } from './log-redaction.ts';
import { keyId, keyringOf } from './master-key.ts';
import { redact, resolveSecrets, secretPaths } from './resolve-secrets.ts';

const key = randomBytes(32);
const keyring = keyringOf([{ id: keyId(key), key }], 'env');

const KingdeeConfig = Type.Object({
  baseUrl: Type.String(),
  username: Type.String(),
  password: Type.String({ 'x-secret': true }),
  auth: Type.Optional(Type.Object({ appId: Type.String(), appSecret: Type.String({ 'x-secret': true }) })),
  headers: Type.Optional(Type.Record(Type.String(), Type.String({ 'x-secret': true }))),
  signingKeys: Type.Optional(Type.Array(Type.String({ 'x-secret': true }))),
  extra: Type.Optional(Type.Union([Type.String(), Type.Object({ 'x-api-key': Type.String({ 'x-secret': true }) })])),
});

describe('resolveSecrets', () => {
  it('fills ${env:NAME} wholly or inside a string, and decrypts enc:v1 values with their path as AAD', () => {
    const password = encrypt('金蝶密码', { keyring, aad: 'systems.kingdee.config.password' });
    const raw = {
      baseUrl: 'https://${env:KD_HOST}/k3cloud',
      username: '${env:KD_USER}',
      password,
      signingKeys: ['${env:SIGN_A}', 'plain'],
      timeoutMs: 3000,
    };
    const resolved = resolveSecrets(raw, { env: { KD_HOST: 'erp.example.cn', KD_USER: '财务', SIGN_A: 'sign-a' }, keyring, path: 'systems.kingdee.config' });
    expect(resolved).toEqual({
      baseUrl: 'https://erp.example.cn/k3cloud',
      username: '财务',
      password: '金蝶密码',
      signingKeys: ['sign-a', 'plain'],
      timeoutMs: 3000,
    });
    expect(raw.username).toBe('${env:KD_USER}');
  });

  it('names the variable and the config path when the variable is missing', () => {
    let error: unknown;
    try {
      resolveSecrets({ auth: { token: 'Bearer ${env:CRM_TOKEN}' } }, { env: {}, path: 'systems.crm.config' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'DT_SECRET_ENV_MISSING', params: { name: 'CRM_TOKEN', path: 'systems.crm.config.auth.token' } });
    expect((error as Error).message).toContain('CRM_TOKEN');
    expect((error as Error).message).toContain('systems.crm.config.auth.token');
  });

  it('refuses a ciphertext moved to another path, or met without a keyring', () => {
    const value = encrypt('x', { keyring, aad: 'systems.a.config.password' });
    expect(() => resolveSecrets({ password: value }, { keyring, path: 'systems.b.config' })).toThrow(expect.objectContaining({ code: 'DT_SECRET_DECRYPT' }));
    expect(() => resolveSecrets({ password: value }, { path: 'systems.a.config' })).toThrow(expect.objectContaining({ code: 'DT_SECRET_KEY_UNKNOWN' }));
    expect(resolveSecrets(['${env:A}'], { env: { A: 'a' }, path: 'flows.f.trigger.secrets' })).toEqual(['a']);
    const indexed = encrypt('s', { keyring, aad: 'flows.f.trigger.secrets[1]' });
    expect(resolveSecrets(['x', indexed], { keyring, path: 'flows.f.trigger.secrets' })).toEqual(['x', 's']);
  });
});

describe('redact', () => {
  it('masks x-secret fields at any depth, including records, arrays and union branches', () => {
    const config = {
      baseUrl: 'https://erp.example.cn',
      username: '财务',
      password: 'p',
      auth: { appId: 'app', appSecret: 's' },
      headers: { 'X-Token': 't' },
      signingKeys: ['a', 'b'],
      extra: { 'x-api-key': 'k' },
    };
    expect(redact(config, KingdeeConfig)).toEqual({
      baseUrl: 'https://erp.example.cn',
      username: '财务',
      password: '***',
      auth: { appId: 'app', appSecret: '***' },
      headers: { 'X-Token': '***' },
      signingKeys: ['***', '***'],
      extra: { 'x-api-key': '***' },
    });
    expect(config.password).toBe('p');
  });

  it('masks env-filled and encrypted values even where the schema is silent', () => {
    const resolved = resolveSecrets(
      { baseUrl: 'https://${env:HOST}', note: 'plain', nested: [{ dsn: 'mysql://u:${env:DB_PASS}@db/erp' }] },
      { env: { HOST: 'h', DB_PASS: 'hunter2' } },
    );
    expect(redact(resolved)).toEqual({ baseUrl: '***', note: 'plain', nested: [{ dsn: '***' }] });
    expect(redact({ password: 'enc:v1:abcd1234:AAAA', ref: '${env:X}' })).toEqual({ password: '***', ref: '${env:X}' });
  });
});

describe('secretPaths and log redaction', () => {
  it('lists the secret fields in pino path syntax', () => {
    expect(secretPaths(KingdeeConfig).sort()).toEqual(['auth.appSecret', 'extra["x-api-key"]', 'headers.*', 'password', 'signingKeys[*]']);
  });

  it('feeds pino so a logged config loses its secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ redact: logRedactPaths({ config: KingdeeConfig }) }, sink);
    logger.info({ config: { username: '财务', password: 'pino-pass', auth: { appId: 'a', appSecret: 'pino-app-secret' } }, req: { headers: { authorization: 'Bearer dt_x' } } }, 'connect');
    const text = lines.join('');
    expect(text).toContain('财务');
    expect(text).not.toContain('pino-pass');
    expect(text).not.toContain('pino-app-secret');
    expect(text).not.toContain('Bearer dt_x');
  });
});
