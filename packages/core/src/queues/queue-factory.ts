import { Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { QUEUES, type Payload, type QueueName, type QueueSet, type TypedQueue } from './job-catalog.js';

export interface RedisConnectionOptions {
  host: string;
  port: number;
  password?: string | undefined;
}

/** A Redis connection as BullMQ needs it (no retry limit on blocking commands). */
export function createRedis(options: RedisConnectionOptions, extra: RedisOptions = {}): Redis {
  return new Redis({
    host: options.host,
    port: options.port,
    ...(options.password ? { password: options.password } : {}),
    maxRetriesPerRequest: null,
    lazyConnect: false,
    ...extra,
  });
}

/** The three queues, sharing one connection and BullMQ prefix (`redisKeys(prefix).bullmq`); the caller closes them. */
export function createQueues(connection: Redis, prefix: string): QueueSet {
  const make = <Q extends QueueName>(name: Q): TypedQueue<Q> =>
    new Queue<Payload<Q>>(name, { connection, prefix });
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
