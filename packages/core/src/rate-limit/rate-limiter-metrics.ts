import { Counter, Histogram, type Registry } from 'prom-client';

/** What the TMDB token bucket reports to Prometheus. */
export interface RateLimiterMetrics {
  tokensGranted: Counter;
  waitSeconds: Histogram;
  pauses: Counter;
  grantsWithheld: Counter;
}

/** Creates the rate limiter's metrics and registers them on `registry` (once per registry). */
export function createRateLimiterMetrics(registry: Registry): RateLimiterMetrics {
  return {
    tokensGranted: new Counter({
      name: 'minato_rate_limiter_tokens_granted_total',
      help: 'TMDB tokens this replica took from the shared bucket',
      registers: [registry],
    }),
    waitSeconds: new Histogram({
      name: 'minato_rate_limiter_wait_seconds',
      help: 'Time an acquire spent waiting for a TMDB token, including shared pauses',
      // a refill every 0.5 s and Retry-After pauses of a few seconds set the scale
      buckets: [0.01, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    pauses: new Counter({
      name: 'minato_tmdb_rate_limited_pauses_total',
      help: 'TMDB 429 answers seen by this replica, each of which paused every replica for its Retry-After',
      registers: [registry],
    }),
    grantsWithheld: new Counter({
      name: 'minato_rate_limiter_grants_withheld_total',
      help: 'TMDB tokens this replica took but did not spend: no replica acknowledged the grant and the sentinels did not show the granting node alone as master (Sentinel mode)',
      registers: [registry],
    }),
  };
}
