/**
 * Every Redis key Minato writes, built from QUEUE_PREFIX in this one place. Replicas of one deployment share a
 * prefix and so share these keys; separate deployments (and tests) do not.
 */
export function redisKeys(prefix: string) {
  return {
    /** BullMQ's own prefix for the pipeline's queues and the reconciler's */
    bullmq: prefix,
    /** the TMDB token bucket shared by every enrichment replica (its ledger is `<key>:ledger`) */
    tmdbBucket: `${prefix}:minato:tmdb-bucket`,
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
