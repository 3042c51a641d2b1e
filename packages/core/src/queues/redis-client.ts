import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { HostPort, RedisTarget } from './redis-target.js';

/** A connection to Minato's Redis in any mode: BullMQ and every piece of core take either. */
export type RedisClient = Redis | Cluster;

/**
 * Who uses the connection. A worker's commands wait for Redis however long it is away (BullMQ's production
 * guide: `maxRetriesPerRequest: null`, or a blocking command in flight across a failover fails its caller); a
 * CLI command gives up after a few reconnections and says so, instead of hanging an operator's terminal.
 */
export type RedisPurpose = 'worker' | 'command';

const COMMAND_RETRIES = 2;

/**
 * Reconnects after 0.2 s, 0.4 s, … up to 2 s, forever: a strategy that returns a non-number puts ioredis's
 * connection in its terminal `end` state, which is how BullMQ workers stopped taking jobs after Sentinel
 * failovers (taskforcesh/bullmq #3088, #2964). The same for the sentinels and the cluster's slot refresh.
 */
export const neverGiveUp = (attempt: number): number => Math.min(attempt * 200, 2_000);

/** The options ioredis is given for `target`, one mode at a time; `createRedisClient` builds the client. */
export function redisClientOptions(
  target: RedisTarget,
  purpose: RedisPurpose,
):
  { mode: 'redis'; options: RedisOptions } | { mode: 'cluster'; nodes: HostPort[]; options: ClusterOptions } {
  const tls = redisTlsOptions(target);
  const common: RedisOptions = {
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(tls ? { tls } : {}),
    maxRetriesPerRequest: purpose === 'worker' ? null : COMMAND_RETRIES,
    // A master demoted to a replica (SENTINEL FAILOVER) answers writes with READONLY: reconnect, which asks the
    // sentinels for the new master, and resend the command.
    reconnectOnError: (error) => (/^READONLY/.test(error.message) ? 2 : false),
  };
  switch (target.mode) {
    case 'standalone':
      return {
        mode: 'redis',
        options: {
          ...common,
          host: target.host,
          port: target.port,
          db: target.db,
          retryStrategy: neverGiveUp,
        },
      };
    case 'sentinel':
      return {
        mode: 'redis',
        options: {
          ...common,
          sentinels: target.sentinels,
          name: target.name,
          ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
          ...(tls ? { enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
          retryStrategy: neverGiveUp,
          sentinelRetryStrategy: neverGiveUp,
          // subscribes to the sentinels' +switch-master: a failover is noticed when announced, not at the next error
          failoverDetector: true,
        },
      };
    case 'cluster':
      return {
        mode: 'cluster',
        nodes: target.nodes,
        options: {
          redisOptions: common,
          clusterRetryStrategy: neverGiveUp,
          // managed services (ElastiCache, MemoryDB) announce names their TLS certificates carry: keep them
          // as given instead of resolving them to addresses the certificate does not name
          ...(tls ? { dnsLookup: (address, done) => done(null, address) } : {}),
          // a promoted replica takes a few seconds (node timeout + election): retry MOVED/CLUSTERDOWN meanwhile
          // instead of failing. ioredis gives a command up after maxRedirections retries (16 by default, 4.8 s at
          // these delays), which a killed master outlasted under load and failed jobs with "Too many Cluster
          // redirections": 200 retries cover a minute.
          retryDelayOnFailover: 200,
          // No ready check: ioredis's checks `cluster_state` after a (re)connect and, finding `fail` while a shard
          // has no master, reconnects without ever settling the connect() it was answering. BullMQ awaits that
          // connect() when it resets a worker's blocking connection, so a worker idle through a shard's failover
          // waited forever while its jobs piled up. Commands meanwhile wait out CLUSTERDOWN below, ready or not.
          enableReadyCheck: false,
          retryDelayOnClusterDown: 300,
          maxRedirections: 200,
          slotsRefreshTimeout: 2_000,
        },
      };
  }
}

/** The TLS options for `target`'s nodes and sentinels, or undefined when it speaks plain TCP. */
export function redisTlsOptions(target: RedisTarget): ConnectionOptions | undefined {
  return target.tls ? { ...(target.caFile ? { ca: readFileSync(target.caFile) } : {}) } : undefined;
}

/** A connection to `target` for `purpose`, with `extra` options laid over the built ones. */
export function createRedisClient(
  target: RedisTarget,
  purpose: RedisPurpose,
  extra: RedisOptions = {},
): RedisClient {
  const built = redisClientOptions(target, purpose);
  if (built.mode === 'redis') return new Redis({ ...built.options, ...extra });
  return new Cluster(built.nodes, {
    ...built.options,
    redisOptions: { ...built.options.redisOptions, ...extra },
  });
}

/** A second connection with the same options (BullMQ's workers each need their own for blocking commands). */
export function duplicateRedis(client: RedisClient): RedisClient {
  // the two classes' duplicate() take different arguments, so the union's cannot be called as one
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}
