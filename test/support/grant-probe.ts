import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Registry } from 'prom-client';
import {
  createLogger,
  createRateLimiterMetrics,
  createRedisClient,
  sentinelGrantFence,
  TokenBucket,
  type HostPort,
} from '@minato/core';

const silent = createLogger({ level: 'silent', format: 'json' });

/**
 * A client spending TMDB-bucket grants as fast as a bucket of 20 + 10/s allows, through the fence the enrichment
 * workers use on Sentinel, for as long as it runs: grants in flight at every moment of a failover, whatever the
 * pipeline happens to be doing then. `missingFrom` compares what it spent with the ledger of the master that won.
 */
export function startGrantProbe(sentinels: HostPort[], name: string) {
  const redis = createRedisClient({ mode: 'sentinel', sentinels, name, tls: false }, 'worker');
  redis.on('error', () => undefined);
  const registry = new Registry();
  const bucket = new TokenBucket({
    redis,
    key: `minato:test:probe:{${randomUUID()}}:bucket`,
    capacity: 20,
    refillPerSecond: 10,
    logger: silent,
    metrics: createRateLimiterMetrics(registry),
    fence: sentinelGrantFence({ redis, sentinels, name, logger: silent }),
  });
  const spent: number[] = [];
  const errors: string[] = [];
  const stop = new AbortController();
  const loop = (async () => {
    while (!stop.signal.aborted) {
      try {
        spent.push((await bucket.acquire(stop.signal)).atUs);
      } catch (error) {
        if (stop.signal.aborted) break;
        errors.push((error as Error).message);
        await delay(100);
      }
    }
  })();
  return {
    /** Redis server times of the grants spent, microseconds, in order */
    spent,
    errors,
    async withheld(): Promise<number> {
      const metric = await registry.getSingleMetric('minato_rate_limiter_grants_withheld_total')?.get();
      return metric?.values[0]?.value ?? 0;
    },
    /** the grants spent that the bucket's ledger (on the current master) does not hold */
    async missingFrom(): Promise<number> {
      const ledger = new Set((await bucket.ledger()).grants);
      return spent.filter((atUs) => !ledger.has(atUs)).length;
    },
    async stop(): Promise<void> {
      stop.abort();
      await loop;
      redis.disconnect();
    },
  };
}
