import type { Logger } from 'pino';
import { TmdbRateLimitedError } from '../../errors.js';
import type { TokenBucket } from '../../rate-limit/token-bucket.js';

const MAX_429_RETRIES = 3;

/**
 * Wraps every method of a TMDB API object so that each call first takes a token from the shared bucket,
 * and a 429 pauses every replica for its Retry-After before the call is tried again.
 */
export function rateLimited<T extends object>(api: T, bucket: TokenBucket, logger: Logger): T {
  const call = async <R>(run: () => Promise<R>): Promise<R> => {
    for (let attempt = 1; ; attempt++) {
      await bucket.acquire();
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof TmdbRateLimitedError) || attempt > MAX_429_RETRIES) throw error;
        logger.warn({ retryAfterMs: error.retryAfterMs, attempt }, 'TMDB answered 429');
        await bucket.pause(error.retryAfterMs);
      }
    }
  };
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        call(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args));
    },
  });
}
