import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/config.js';
import { QUEUES, type Payload, type QueueName, type QueueSet, type TypedQueue } from './job-catalog.js';

export interface RedisConnectionOptions {
  host: string;
  port: number;
  password?: string | undefined;
  /** connect over TLS */
  tls?: boolean;
  /** PEM file of the CA that signed the server's certificate; implies `tls` */
  caFile?: string | undefined;
}

/** The Redis connection settings of the config (REDIS_*). */
export function redisConnectionOptions(config: Config): RedisConnectionOptions {
  return {
    host: config.REDIS_HOST,
    port: config.REDIS_PORT,
    password: config.REDIS_PASSWORD,
    tls: config.REDIS_TLS,
    caFile: config.REDIS_CA_FILE,
  };
}

/** A Redis connection as BullMQ needs it (no retry limit on blocking commands). */
export function createRedis(options: RedisConnectionOptions, extra: RedisOptions = {}): Redis {
  return new Redis({
    host: options.host,
    port: options.port,
    ...(options.password ? { password: options.password } : {}),
    ...(options.tls || options.caFile
      ? { tls: options.caFile ? { ca: readFileSync(options.caFile) } : {} }
      : {}),
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
