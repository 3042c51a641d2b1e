import type { RedisClient } from '../../queues/redis-client.js';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { ConfigError } from '../../errors.js';
import type { GrantFence } from '../../rate-limit/grant-fence.js';
import { createRateLimiterMetrics } from '../../rate-limit/rate-limiter-metrics.js';
import { TokenBucket } from '../../rate-limit/token-bucket.js';
import { TmdbClient } from '../../tmdb/tmdb-client.js';
import { TmdbMatcher } from '../../tmdb/matcher.js';
import { rateLimited } from './rate-limited.js';

export interface TmdbLookupsOptions {
  baseUrl: string;
  /** TMDB_API_KEY: a v3 key or a v4 read token */
  apiKey: string | undefined;
  timeoutMs: number;
  redis: RedisClient;
  /** the bucket every replica shares (`tmdbBucketKey(baseUrl, apiKey)`) */
  bucketKey: string;
  /** tokens */
  capacity: number;
  /** tokens per second */
  refillPerSecond: number;
  registry: Registry;
  /** the root logger: the bucket logs as `rate-limiter` */
  rootLogger: Logger;
  logger: Logger;
  /** confirms each grant before it is spent; Sentinel mode has one (docs/redis.md, "What a failover costs") */
  fence?: GrantFence | undefined;
}

/** What pass 2 asks TMDB through: the matcher, and the probe a parked worker runs. */
export interface TmdbLookups {
  matcher: TmdbMatcher;
  /** GET /configuration under the same bucket: resolves once TMDB answers and accepts the key again */
  probe: () => Promise<unknown>;
}

/**
 * The TMDB matcher of an enrichment worker: the client (with per-request metrics) behind the token bucket
 * that all replicas share, so every search or lookup, and every probe while parked, costs one token.
 */
export function createTmdbMatcher(options: TmdbLookupsOptions): TmdbLookups {
  if (!options.apiKey) {
    throw new ConfigError('TMDB_API_KEY is required by the enrichment worker (a v3 key or a v4 read token)', {
      variable: 'TMDB_API_KEY',
    });
  }
  const requests = new Counter({
    name: 'minato_tmdb_requests_total',
    help: 'TMDB requests by endpoint and HTTP status (0: no answer: timeout or connection refused)',
    labelNames: ['endpoint', 'status'],
    registers: [options.registry],
  });
  const client = new TmdbClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs,
    onRequest: (endpoint, status) => requests.inc({ endpoint, status: String(status) }),
  });
  const bucket = new TokenBucket({
    redis: options.redis,
    key: options.bucketKey,
    capacity: options.capacity,
    refillPerSecond: options.refillPerSecond,
    logger: options.rootLogger,
    metrics: createRateLimiterMetrics(options.registry),
    ...(options.fence ? { fence: options.fence } : {}),
  });
  const api = rateLimited(client, bucket, options.logger);
  return { matcher: new TmdbMatcher({ api }), probe: () => api.configuration() };
}
