/**
 * How Minato's keys are laid out. `plain` is the layout of a single Redis (and of Sentinel, which is one
 * Redis at a time): `<prefix>:<QUEUE>:…`, the layout every install before Redis Cluster support has, kept so
 * that upgrading moves no key. `hash-tagged` is Redis Cluster's: a script or MULTI may only touch keys of one
 * slot, and a `{tag}` decides the slot, so each queue's keys share its own tag (the three queues may live on
 * three shards) and Minato's own keys share one more (docs/redis.md, "Keys in a cluster").
 */
export type KeyLayout = 'plain' | 'hash-tagged';

/**
 * Every Redis key Minato writes, built from QUEUE_PREFIX in this one place. Replicas of one deployment share a
 * prefix and so share these keys; separate deployments (and tests) do not.
 */
export function redisKeys(prefix: string, layout: KeyLayout = 'plain') {
  const tagged = layout === 'hash-tagged';
  // Minato's own keys: single-key commands but for the bucket's scripts, which touch the bucket and its ledger
  // (`<bucket>:ledger`) together; one tag keeps them, and everything else of Minato's, in one slot.
  const own = tagged ? `{${prefix}:minato}` : `${prefix}:minato`;
  return {
    layout,
    /** BullMQ's prefix for `queue` (the pipeline's three and the reconciler's): its keys are `<that>:<queue>:…` */
    queuePrefix: (queue: string): string => (tagged ? `{${prefix}:${queue}}` : prefix),
    /** the TMDB token bucket shared by every enrichment replica (its ledger is `<key>:ledger`) */
    tmdbBucket: `${own}:tmdb-bucket`,
    /** one lock per lookup key, held by the replica asking TMDB while the others wait for its answer */
    tmdbLookupLockPrefix: `${own}:tmdb-lookup-lock:`,
    /**
     * written by each reconciler pass: when a pass finds it gone, Redis lost its data since the last one (a restart
     * without persistence, FLUSHALL, a failover to an empty replica), and the jobs queued then with it
     */
    reconcilerMarker: `${own}:reconciler-marker`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
