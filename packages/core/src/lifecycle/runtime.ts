import type { RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { MediaRepository } from '../db/media-repository.js';
import { createSqlClient, type Sql } from '../db/sql-client.js';
import { TorrentRepository } from '../db/torrent-repository.js';
import { componentLogger, createLogger, type Component } from '../logging/logger.js';
import { createJobMetrics, type JobMetrics } from '../metrics/job-metrics.js';
import { registerPeakMemoryMetric } from '../metrics/peak-memory-metrics.js';
import { registerQueueDepthMetrics } from '../metrics/queue-depth-metrics.js';
import { registerQueueTorrentMetrics } from '../metrics/queue-torrent-metrics.js';
import type { QueueSet } from '../queues/job-catalog.js';
import { closeQueues, createQueues, redisKeysOf } from '../queues/queue-factory.js';
import { createRedisClient, type RedisClient } from '../queues/redis-client.js';
import type { RedisKeys } from '../queues/redis-keys.js';
import { describeRedisTarget, redisTarget } from '../queues/redis-target.js';
import { createSearchEngine, searchClientOptions } from '../search/engines/create-search-engine.js';
import type { SearchEngine } from '../search/engines/search-engine.js';
import { ENGINE_LABEL } from '../search/engines/search-failures.js';

/**
 * The clients one process shares between its pieces (a worker, or one `minato` command), built from the config
 * on first use, so that a command that never touches Redis never connects to it. Nothing here is a module-level
 * singleton; `close` closes what was opened.
 */
export interface Runtime {
  readonly config: Config;
  /** who this process is: a worker's role decides the Elasticsearch privileges it needs */
  readonly component: Component;
  readonly rootLogger: Logger;
  /** the root logger with this process's `component` */
  readonly logger: Logger;
  readonly keys: RedisKeys;
  /** where Redis is, in words (no password), for errors and logs */
  readonly redisWhere: string;
  readonly registry: Registry;
  readonly jobMetrics: JobMetrics;
  readonly redis: RedisClient;
  readonly sql: Sql;
  /** the search engine, Elasticsearch or OpenSearch */
  readonly search: SearchEngine;
  readonly torrents: TorrentRepository;
  readonly media: MediaRepository;
  readonly queues: QueueSet;
  /** closes every client opened so far; idempotent */
  close(): Promise<void>;
}

/**
 * Builds a process's runtime; `rootLogger` defaults to the one LOG_LEVEL and LOG_FORMAT describe, and
 * `redisOptions` override the Redis connection's (a command bounds its retries, a worker does not).
 */
export function createRuntime(
  config: Config,
  component: Component,
  rootLogger: Logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT }),
  redisOptions: RedisOptions = {},
): Runtime {
  const logger = componentLogger(rootLogger, component);
  const once = <T>(build: () => T): (() => T) => {
    let built: { value: T } | undefined;
    return () => (built ??= { value: build() }).value;
  };
  const registry = once(() => {
    const r = new Registry();
    collectDefaultMetrics({ register: r });
    // Gauges named *_total break Prometheus naming rules (`promtool check metrics`); the same numbers are the
    // sums of prom-client's per-type series (nodejs_active_handles{type} ...), which stay.
    for (const name of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ])
      r.removeSingleMetric(name);
    registerPeakMemoryMetric(r);
    return r;
  });
  const target = redisTarget(config);
  const keys = redisKeysOf(config);
  let redisClient: RedisClient | undefined;
  const redis = once(() => {
    redisClient = createRedisClient(target, component === 'cli' ? 'command' : 'worker', redisOptions);
    redisClient.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
    return redisClient;
  });
  let sqlClient: Sql | undefined;
  const sql = once(
    () =>
      (sqlClient = createSqlClient({
        url: config.DATABASE_URL,
        max: config.DATABASE_POOL_MAX,
        prepare: config.DATABASE_PREPARED_STATEMENTS,
      })),
  );
  let searchClient: SearchEngine | undefined;
  const search = once(() => (searchClient = createSearchEngine(searchClientOptions(config))));
  let queueSet: QueueSet | undefined;
  const queues = once(() => (queueSet = createQueues(redis(), keys)));
  const torrents = once(() => new TorrentRepository(sql()));
  const media = once(() => new MediaRepository(sql()));
  const jobMetrics = once(() => createJobMetrics(registry()));
  let closing: Promise<void> | undefined;
  const clients = lazyProperties({ registry, jobMetrics, redis, sql, search, torrents, media, queues });
  return Object.assign(clients, {
    config,
    component,
    rootLogger,
    logger,
    keys,
    redisWhere: describeRedisTarget(target),
    close() {
      closing ??= (async () => {
        if (queueSet) await closeQueues(Object.values(queueSet));
        await Promise.allSettled([
          // QUIT waits for a connection that is down to come back; a connection that is not ready just ends.
          redisClient?.status === 'ready' ? redisClient.quit() : redisClient?.disconnect(),
          sqlClient?.end({ timeout: 5 }),
          searchClient?.close(),
        ]);
      })();
      return closing;
    },
  });
}

/** An object whose properties are the builders' values, each built when first read (the builders memoize). */
function lazyProperties<T extends object>(builders: { [K in keyof T]: () => T[K] }): T {
  const target = {} as T;
  for (const key of Object.keys(builders) as (keyof T & string)[]) {
    Object.defineProperty(target, key, { enumerable: true, get: builders[key] });
  }
  return target;
}

/** A worker's queue-depth gauges on its registry (the CLI has no /metrics, so it skips them). */
export function registerRuntimeQueueMetrics(runtime: Runtime): void {
  // The queues share the runtime's connection: while it reconnects, their commands would wait for it.
  const connected = () => runtime.redis.status === 'ready';
  registerQueueDepthMetrics(runtime.registry, Object.values(runtime.queues), connected);
  registerQueueTorrentMetrics(runtime.registry, Object.values(runtime.queues), connected);
}

/** The /readyz checks every worker runs: Redis, PostgreSQL and the search engine reachable. */
export function readinessChecks(runtime: Runtime) {
  return {
    redis: () => runtime.redis.ping(),
    postgres: () => runtime.sql`SELECT 1`,
    elasticsearch: () => searchReady(runtime.search, runtime.config.ELASTICSEARCH_INDEX),
  };
}

/**
 * Ready while the index takes writes: green, or yellow (a replica missing, a node lost: every shard still has
 * its primary). Red means some primary is gone and writes to it wait and fail; the answer names the engine and
 * the index. Cluster health, not a ping: Elasticsearch's minimal distribution has no `GET /` (module rest-root).
 */
async function searchReady(search: SearchEngine, index: string): Promise<void> {
  const [status, { engine, version }] = await Promise.all([search.health(index), search.info()]);
  if (status === 'red') {
    throw new Error(
      `${ENGINE_LABEL[engine]} ${version}: index ${index} is red (a primary shard is not allocated)`,
    );
  }
}
