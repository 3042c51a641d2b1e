import { Queue } from 'bullmq';
import type { Config } from '../config/config.js';
import { QUEUES, type Payload, type QueueName, type QueueSet, type TypedQueue } from './job-catalog.js';
import type { RedisClient } from './redis-client.js';
import { redisKeys, type RedisKeys } from './redis-keys.js';
import { redisTarget } from './redis-target.js';

/** The keys of the config's QUEUE_PREFIX, hash-tagged when Redis is a cluster (`KeyLayout`). */
export function redisKeysOf(config: Config): RedisKeys {
  return redisKeys(config.QUEUE_PREFIX, redisTarget(config).mode === 'cluster' ? 'hash-tagged' : 'plain');
}

/** The three queues, sharing one connection, each with its prefix from `keys`; the caller closes them. */
export function createQueues(connection: RedisClient, keys: RedisKeys): QueueSet {
  const make = <Q extends QueueName>(name: Q): TypedQueue<Q> =>
    new Queue<Payload<Q>>(name, { connection, prefix: keys.queuePrefix(name) });
  return {
    TORRENT_INGEST: make(QUEUES.ingest),
    CLASSIFY: make(QUEUES.classify),
    ES_SYNC: make(QUEUES.sync),
  };
}

/**
 * Closes queues that share a connection, so that the caller may quit that connection next. A Queue finishes
 * its set-up (an INFO to learn the server version) in the background, and `close()` does not wait for it on
 * a shared connection: quitting right after a fast command left that INFO to fail with "Connection is closed",
 * emitted as an unhandled 'error' that killed the process (seen under CPU load on `minato backfill --dry-run`).
 */
export async function closeQueues(queues: Iterable<Queue>): Promise<void> {
  await Promise.allSettled(
    [...queues].map(async (queue) => {
      await queue.waitUntilReady().catch(() => undefined);
      await queue.close();
    }),
  );
}
