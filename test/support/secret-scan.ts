import type { Redis } from 'ioredis';

// Shorter values would match by chance and prove nothing.
const MIN_SECRET_LENGTH = 8;

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
export async function redisContents(redis: Redis, prefix: string): Promise<string> {
  const lines: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) lines.push(`${key} ${JSON.stringify(await keyContents(redis, key))}`);
  } while (cursor !== '0');
  return lines.join('\n');
}

async function keyContents(redis: Redis, key: string): Promise<unknown> {
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
