import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { createSqlClient, type Sql } from '../db/sql-client.js';
import { TorrentRepository } from '../db/torrent-repository.js';
import { componentLogger, createLogger, type Component } from '../logging/logger.js';
import { createJobMetrics, type JobMetrics } from '../metrics/job-metrics.js';
import { registerQueueDepthMetrics } from '../metrics/queue-depth-metrics.js';
import type { QueueName } from '../queues/job-catalog.js';
import { createQueues, createRedis, redisConnectionOptions } from '../queues/queue-factory.js';
import { createSearchClient, searchClientOptions } from '../search/search-client.js';

/** The clients one worker process shares between its pieces, built once from the config. */
export interface Runtime {
  config: Config;
  rootLogger: Logger;
  logger: Logger;
  registry: Registry;
  jobMetrics: JobMetrics;
  redis: Redis;
  sql: Sql;
  search: Client;
  repository: TorrentRepository;
  queues: Record<QueueName, Queue>;
  /** closes every client; idempotent */
  close(): Promise<void>;
}

/** Builds the clients a worker needs; nothing here is a module-level singleton. */
export function createRuntime(config: Config, component: Component): Runtime {
  const rootLogger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const logger = componentLogger(rootLogger, component);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named *_total break Prometheus naming rules (`promtool check metrics`); the same numbers are the
  // sums of prom-client's per-type series (nodejs_active_handles{type} ...), which stay.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  const redis = createRedis(redisConnectionOptions(config));
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const sql = createSqlClient({ url: config.DATABASE_URL });
  const search = createSearchClient(searchClientOptions(config));
  const queues = createQueues(redis, config.QUEUE_PREFIX);
  registerQueueDepthMetrics(registry, Object.values(queues));
  let closing: Promise<void> | null = null;
  return {
    config,
    rootLogger,
    logger,
    registry,
    jobMetrics: createJobMetrics(registry),
    redis,
    sql,
    search,
    repository: new TorrentRepository(sql),
    queues,
    close() {
      closing ??= (async () => {
        await Promise.allSettled(Object.values(queues).map((q) => q.close()));
        await Promise.allSettled([redis.quit(), sql.end({ timeout: 5 }), search.close()]);
      })();
      return closing;
    },
  };
}

/** The /readyz checks every worker runs: Redis, PostgreSQL and Elasticsearch reachable. */
export function readinessChecks(runtime: Runtime) {
  return {
    redis: () => runtime.redis.ping(),
    postgres: () => runtime.sql`SELECT 1`,
    // cluster health, not ping(): the minimal distribution has no `GET /` (module rest-root).
    elasticsearch: () => runtime.search.cluster.health({ timeout: '1s' }),
  };
}
