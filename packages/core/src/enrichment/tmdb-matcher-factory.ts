import { Counter } from 'prom-client';
import { ConfigError } from '../errors.js';
import type { Runtime } from '../lifecycle/runtime.js';
import { createRateLimiterMetrics } from '../rate-limit/rate-limiter-metrics.js';
import { TokenBucket } from '../rate-limit/token-bucket.js';
import { TmdbClient } from '../tmdb/tmdb-client.js';
import { TmdbMatcher } from '../tmdb/matcher.js';
import { rateLimited } from './rate-limited.js';

/**
 * The TMDB matcher of an enrichment worker: the client (with per-request metrics) behind the token bucket
 * that all replicas share, so every search or lookup costs one token.
 */
export function createTmdbMatcher(runtime: Runtime): TmdbMatcher {
  const { config, registry } = runtime;
  if (!config.TMDB_API_KEY) {
    throw new ConfigError('TMDB_API_KEY is required by the enrichment worker (a v3 key or a v4 read token)', {
      variable: 'TMDB_API_KEY',
    });
  }
  const requests = new Counter({
    name: 'minato_tmdb_requests_total',
    help: 'TMDB requests by endpoint and HTTP status (0: no answer: timeout or connection refused)',
    labelNames: ['endpoint', 'status'],
    registers: [registry],
  });
  const client = new TmdbClient({
    baseUrl: config.TMDB_BASE_URL,
    apiKey: config.TMDB_API_KEY,
    timeoutMs: config.TMDB_TIMEOUT_MS,
    onRequest: (endpoint, status) => requests.inc({ endpoint, status: String(status) }),
  });
  const bucket = new TokenBucket({
    redis: runtime.redis,
    // Per queue prefix: replicas of one deployment share it, separate deployments (and tests) do not.
    key: `${config.QUEUE_PREFIX}:minato:tmdb-bucket`,
    capacity: config.TMDB_RATE_CAPACITY,
    refillPerSecond: config.TMDB_RATE_REFILL_PER_SEC,
    logger: runtime.rootLogger,
    metrics: createRateLimiterMetrics(registry),
  });
  return new TmdbMatcher({ api: rateLimited(client, bucket, runtime.logger) });
}
