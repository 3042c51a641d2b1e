import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError, type Config } from '@minato/core';
import { verifyPassword } from './password-hash.js';

/** Who made a request, or null when they are not let in (the reply is sent). */
export type Authenticate = (request: FastifyRequest, reply: FastifyReply) => Promise<string | null>;

const REALM = 'Basic realm="Minato console", charset="UTF-8"';
// Credentials accepted once are not checked again: scrypt costs tens of milliseconds, and Bull Board polls.
const MAX_REMEMBERED = 1_000;

/** Reads `user:scrypt$…` lines; blank lines and `#` comments are skipped. */
export function parseUsersFile(path: string): Map<string, string> {
  const users = new Map<string, string>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const colon = line.indexOf(':');
      if (colon <= 0 || !line.slice(colon + 1).startsWith('scrypt$')) {
        throw new ConfigError(
          `CONSOLE_USERS_FILE ${path} line ${i + 1} must be user:scrypt$… (made by hash-password.js), got "${line.slice(0, colon > 0 ? colon : 20)}…"`,
        );
      }
      users.set(line.slice(0, colon), line.slice(colon + 1));
    });
  if (users.size === 0) throw new ConfigError(`CONSOLE_USERS_FILE ${path} holds no user`);
  return users;
}

/** The check CONSOLE_AUTH chooses; throws ConfigError when `basic` has no users file. */
export function authenticator(config: Config, log: (entry: object, message: string) => void): Authenticate {
  switch (config.CONSOLE_AUTH) {
    case 'none':
      return () => Promise.resolve('anonymous');
    case 'header': {
      const header = config.CONSOLE_AUTH_HEADER.toLowerCase();
      return (request, reply) => {
        const user = request.headers[header];
        if (typeof user === 'string' && user !== '') return Promise.resolve(user);
        void reply.code(401).type('text/plain').send(`no user in the ${config.CONSOLE_AUTH_HEADER} header`);
        return Promise.resolve(null);
      };
    }
    case 'basic': {
      if (!config.CONSOLE_USERS_FILE) {
        throw new ConfigError(
          'CONSOLE_AUTH=basic needs CONSOLE_USERS_FILE (user:hash lines); set CONSOLE_AUTH=none to let anyone in',
        );
      }
      return basicAuth(parseUsersFile(config.CONSOLE_USERS_FILE), log);
    }
  }
}

function basicAuth(users: Map<string, string>, log: (entry: object, message: string) => void): Authenticate {
  const accepted = new Map<string, string>();
  return async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const digest = createHash('sha256').update(header).digest('base64');
    const known = accepted.get(digest);
    if (known !== undefined) return known;
    const [user, password] = credentials(header);
    const hash = users.get(user);
    if (hash !== undefined && (await verifyPassword(password, hash))) {
      if (accepted.size >= MAX_REMEMBERED) accepted.clear();
      accepted.set(digest, user);
      return user;
    }
    if (header !== '') log({ user, ip: request.ip }, 'console sign-in refused');
    void reply
      .code(401)
      .header('www-authenticate', REALM)
      .type('text/plain')
      .send('sign in to use the console');
    return null;
  };
}

function credentials(header: string): [string, string] {
  if (!header.toLowerCase().startsWith('basic ')) return ['', ''];
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}
