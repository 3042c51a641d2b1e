import { ReplyError } from 'ioredis';
import { RedisAuthError } from '../errors.js';

export interface RedisPinger {
  ping(): Promise<string>;
}

// Redis names an error by the first word of its reply (the protocol's error code), so the code is the
// typed part of a ReplyError: WRONGPASS for a wrong password, NOAUTH when one is required and none was sent.
const authCodes = new Set(['WRONGPASS', 'NOAUTH']);

/**
 * One PING at start-up: a Redis that refuses the password stops start-up with a RedisAuthError naming
 * REDIS_PASSWORD, instead of a worker that retries its connection forever with a warning per attempt.
 * A Redis that does not answer within `waitMs` is left to the worker's own reconnects (an outage is not a
 * reason to refuse to start).
 */
export async function checkRedisAuth(redis: RedisPinger, where: string, waitMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      redis.ping(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs).unref();
      }),
    ]);
  } catch (error) {
    const code = error instanceof ReplyError ? (error as Error).message.split(' ')[0] : undefined;
    if (code && authCodes.has(code)) {
      throw new RedisAuthError(`Redis at ${where} refused the connection (${code}): check REDIS_PASSWORD`, {
        where,
        code,
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
