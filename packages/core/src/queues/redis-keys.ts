import { createHash } from 'node:crypto';

/**
 * Every Redis key Minato writes, built from QUEUE_PREFIX in this one place (the TMDB bucket's from the TMDB key,
 * below). Replicas of one deployment share a
 * prefix and so share these keys; separate deployments (and tests) do not.
 */
export function redisKeys(prefix: string) {
  return {
    /** BullMQ's own prefix for the pipeline's queues and the reconciler's */
    bullmq: prefix,
    /** one lock per lookup key, held by the replica asking TMDB while the others wait for its answer */
    tmdbLookupLockPrefix: `${prefix}:minato:tmdb-lookup-lock:`,
    /**
     * written by each reconciler pass: when a pass finds it gone, Redis lost its data since the last one (a restart
     * without persistence, FLUSHALL, a failover to an empty replica), and the jobs queued then with it
     */
    reconcilerMarker: `${prefix}:minato:reconciler-marker`,
    /** each worker process's ready, parked or draining state, one hash field per process, read by the console */
    workerStates: `${prefix}:minato:worker-states`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;

/**
 * The TMDB token bucket's key (its ledger is `<key>:ledger`), the same for every process that calls one TMDB host
 * with one API key, whatever its QUEUE_PREFIX: TMDB's budget belongs to the key, so releases sharing a key and a
 * Redis share it too. The host is part of it, so that each TMDB fake (a test's, a local cluster's) has a budget
 * of its own. The key itself is never stored: 16 hex digits of a SHA-256 name it. The braces are a Redis Cluster
 * hash tag: the bucket and its ledger, which one script updates together, hash to one slot.
 */
export function tmdbBucketKey(baseUrl: string, apiKey: string): string {
  const digest = createHash('sha256')
    .update(`${new URL(baseUrl).origin}\n${apiKey}`)
    .digest('hex');
  return `minato:tmdb:{${digest.slice(0, 16)}}:bucket`;
}
