import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/config.js';
import { QUEUES, type QueueName } from './job-catalog.js';

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

/** The three queues, sharing one connection; the caller closes them. */
export function createQueues(connection: Redis, prefix: string): Record<QueueName, Queue> {
  const make = (name: QueueName) => new Queue(name, { connection, prefix });
  return {
    TORRENT_INGEST: make(QUEUES.ingest),
    CLASSIFY: make(QUEUES.classify),
    ES_SYNC: make(QUEUES.sync),
  };
}
