import type { RedisClient } from '../queues/redis-client.js';

/**
 * Tells the reconciler whether Redis lost its data since its last pass. A lost CLASSIFY job leaves nothing in
 * PostgreSQL that a pass over the changed or stale rows would find (the row is indexed and current, only not
 * enriched), so the pass after such a loss compares every row.
 */
export interface RedisLossMarker {
  /** true when the marker is gone, and sets it again: a loss during the coming pass is seen by the next one */
  takeLoss(): Promise<boolean>;
  /** clears the marker, so that the next pass repeats a comparison this one could not finish */
  forget(): Promise<void>;
}

/** A marker kept at `key` (`redisKeys(prefix).reconcilerMarker`). */
export function redisLossMarker(redis: RedisClient, key: string): RedisLossMarker {
  return {
    async takeLoss() {
      // SET … GET: one command, so no pass can see the marker missing and another set it in between.
      const previous = await redis.set(key, new Date().toISOString(), 'GET');
      return previous === null;
    },
    async forget() {
      await redis.del(key);
    },
  };
}
