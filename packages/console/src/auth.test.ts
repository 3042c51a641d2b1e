import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '@minato/core';
import { authenticator, parseUsersFile } from './auth.js';
import { hashPassword, verifyPassword } from './password-hash.js';

function usersFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'console-auth-')), 'users');
  writeFileSync(path, text);
  return path;
}

function app(env: Record<string, string>) {
  const refused: object[] = [];
  const authenticate = authenticator(loadConfig(env), (entry) => refused.push(entry));
  const server = Fastify();
  server.get('/', async (request, reply) => {
    const user = await authenticate(request, reply);
    return user === null ? reply : { user };
  });
  return { server, refused };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('console sign-in', () => {
  it('verifies a password against its scrypt hash, and nothing else', async () => {
    const hash = await hashPassword('s3cret');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('s3cret', hash)).toBe(true);
    expect(await verifyPassword('s3cret ', hash)).toBe(false);
    expect(await verifyPassword('s3cret', 'plain')).toBe(false);
  });

  it('lets in a listed user with the right password, and refuses a wrong one with a basic challenge, logging the name', async () => {
    const path = usersFile(`# users\n\noperator:${await hashPassword('right')}\n`);
    const { server, refused } = app({ CONSOLE_AUTH: 'basic', CONSOLE_USERS_FILE: path });
    const ok = await server.inject({ url: '/', headers: { authorization: basic('operator', 'right') } });
    expect(ok.json()).toEqual({ user: 'operator' });
    const wrong = await server.inject({ url: '/', headers: { authorization: basic('operator', 'wrong') } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Basic realm="Minato console", charset="UTF-8"');
    const none = await server.inject({ url: '/' });
    expect(none.statusCode).toBe(401);
    expect(refused).toEqual([{ user: 'operator', ip: '127.0.0.1' }]);
    expect(JSON.stringify(refused)).not.toContain('wrong');
  });

  it('refuses to start basic auth without a users file, or with a line that holds no hash', () => {
    expect(() => authenticator(loadConfig({ CONSOLE_AUTH: 'basic' }), () => undefined)).toThrow(
      /CONSOLE_AUTH=basic needs CONSOLE_USERS_FILE/,
    );
    expect(() => parseUsersFile(usersFile('operator:plaintext\n'))).toThrow(ConfigError);
    expect(() => parseUsersFile(usersFile('# nobody\n'))).toThrow(/holds no user/);
  });

  it('takes the user from the proxy header in header mode, and refuses a request without it', async () => {
    const { server } = app({ CONSOLE_AUTH: 'header', CONSOLE_AUTH_HEADER: 'X-Auth-Request-User' });
    expect((await server.inject({ url: '/', headers: { 'x-auth-request-user': 'ana' } })).json()).toEqual({
      user: 'ana',
    });
    const anonymous = await server.inject({ url: '/' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).toBe('no user in the X-Auth-Request-User header');
  });

  it('lets anyone in only when CONSOLE_AUTH=none is set', async () => {
    const { server } = app({ CONSOLE_AUTH: 'none' });
    expect((await server.inject({ url: '/' })).json()).toEqual({ user: 'anonymous' });
    expect(loadConfig({}).CONSOLE_AUTH).toBe('basic');
  });
});
