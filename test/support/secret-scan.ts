import type { RedisClient } from '@minato/core';
import { secretVariables } from '@minato/core';

/** Shorter values would match by chance and prove nothing. */
export const MIN_SECRET_LENGTH = 8;

// Config's secret variables, and ELASTICSEARCH_NODE, whose `user:password@` authenticates when no API key is set
// (search-client-options.ts) although config does not list it. Of a URL only the password is secret.
const URL_VARIABLES: readonly string[] = ['DATABASE_URL', 'ELASTICSEARCH_NODE'];
const SECRET_VARIABLES: readonly string[] = [...secretVariables, 'ELASTICSEARCH_NODE'];

/**
 * The secrets a process started with `env` holds, named as findSecrets reports them: each secret variable's
 * value (a URL's password only), and the secret half of an encoded API key, which is base64 of `id:secret` and
 * could be written decoded. Values shorter than MIN_SECRET_LENGTH are left out.
 */
export function secretsIn(env: Record<string, string | undefined>): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (!value) continue;
    if (!URL_VARIABLES.includes(name)) secrets[name] = value;
    else if (URL.canParse(value)) secrets[`${name} password`] = decodeURIComponent(new URL(value).password);
  }
  const apiKey = Buffer.from(env.ELASTICSEARCH_API_KEY ?? '', 'base64').toString();
  const secretHalf = /^[\w-]+:([\w-]+)$/.exec(apiKey)?.[1];
  if (secretHalf) secrets['ELASTICSEARCH_API_KEY secret half'] = secretHalf;
  return Object.fromEntries(Object.entries(secrets).filter(([, v]) => v.length >= MIN_SECRET_LENGTH));
}

/** The forms a secret may be written in: as given, base64 (HTTP Basic, API keys) and URL-encoded. */
export function secretForms(value: string): Record<string, string> {
  return {
    plain: value,
    base64: Buffer.from(value).toString('base64'),
    'url-encoded': encodeURIComponent(value),
  };
}

/**
 * Every place where a secret's value appears in what the processes wrote: `sources` maps a name (a
 * process's output, a /metrics page, Redis's contents) to its text, `secrets` a variable name to the value
 * the processes were given. Returns one line per finding, `TMDB_API_KEY (base64) in sync-worker output`;
 * an empty list is the pass.
 */
export function findSecrets(sources: Record<string, string>, secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length < MIN_SECRET_LENGTH) {
      throw new Error(`secret ${name} is ${value.length} characters: use at least ${MIN_SECRET_LENGTH}`);
    }
    for (const [form, text] of Object.entries(secretForms(value))) {
      for (const [source, content] of Object.entries(sources)) {
        if (content.includes(text)) found.push(`${name} (${form}) in ${source}`);
      }
    }
  }
  return found;
}

/** Every key under `prefix` with its contents (job payloads, results, logs, caches) as one text. */
export async function redisContents(redis: RedisClient, prefix: string): Promise<string> {
  const lines: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) lines.push(`${key} ${JSON.stringify(await keyContents(redis, key))}`);
  } while (cursor !== '0');
  return lines.join('\n');
}

async function keyContents(redis: RedisClient, key: string): Promise<unknown> {
  switch (await redis.type(key)) {
    case 'string':
      return redis.get(key);
    case 'hash':
      return redis.hgetall(key);
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1, 'WITHSCORES');
    case 'stream':
      return redis.xrange(key, '-', '+');
    default:
      return null;
  }
}
