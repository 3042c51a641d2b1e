import type { ConnectionOptions } from 'node:tls';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisClient } from '../queues/redis-client.js';
import type { HostPort } from '../queues/redis-target.js';
import type { GrantFence, GrantingNode } from './grant-fence.js';

// A replica on a healthy link acknowledges within a round trip (the master asks with REPLCONF GETACK as soon as
// a client waits); a second covers a loaded machine. A WAIT this long only happens when a replica is gone or
// stuck, and the grant is then withheld.
const REPLICA_ACK_MS = 1_000;
const SENTINEL_TIMEOUT_MS = 2_000;

export interface SentinelGrantFenceOptions {
  /** the bucket's connection: the grant and its WAIT must reach the same node */
  redis: RedisClient;
  sentinels: HostPort[];
  /** the master's name the sentinels watch (REDIS_SENTINEL_NAME) */
  name: string;
  sentinelPassword?: string | undefined;
  /** TLS options for the sentinels, when they speak TLS */
  tls?: ConnectionOptions | undefined;
  logger: Logger;
}

/**
 * The fence for a master watched by sentinels (docs/redis.md, "What a failover costs"). A grant is spent when
 *   - every replica connected to the granting node when it granted acknowledged the grant (WAIT), so the replica
 *     the sentinels promote knows it; or
 *   - no replica was connected, and a sentinel names that very node (by run_id) as the master, with no failover
 *     under way and no replica it can reach: nothing else can be promoted with a bucket that lacks the grant.
 *     That is the case after a killed master: the new master has no replica until the old one returns.
 * Anything else withholds the grant: a demoted master that has not heard of its demotion yet (its replica was
 * just promoted and left it) is named by the sentinels beside a live replica, or no longer named at all.
 */
export function sentinelGrantFence(options: SentinelGrantFenceOptions): GrantFence {
  const { redis, logger } = options;

  const replicated = async (node: GrantingNode): Promise<boolean> => {
    const results = await redis.pipeline().wait(node.replicas, REPLICA_ACK_MS).info('server').exec();
    const [acked, info] = (results ?? []).map(([error, value]) => (error ? undefined : value));
    // the WAIT ran on the node that granted only if the connection did not move in between
    const sameNode = typeof info === 'string' && runIdOf(info) === node.runId;
    return sameNode && Number(acked) >= node.replicas;
  };

  const namedAlone = async (node: GrantingNode): Promise<boolean> => {
    for (const sentinel of options.sentinels) {
      const client = new Redis({
        host: sentinel.host,
        port: sentinel.port,
        ...(options.sentinelPassword ? { password: options.sentinelPassword } : {}),
        ...(options.tls ? { tls: options.tls } : {}),
        lazyConnect: true,
        // one question to one sentinel: an unreachable one is skipped for the next, never waited for
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        connectTimeout: SENTINEL_TIMEOUT_MS,
        commandTimeout: SENTINEL_TIMEOUT_MS,
      });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const [master, replicas] = await Promise.all([
          client.call('SENTINEL', 'MASTER', options.name),
          client.call('SENTINEL', 'REPLICAS', options.name),
        ]);
        return sentinelNamesAlone(fieldsOf(master), (replicas as unknown[]).map(fieldsOf), node.runId);
      } catch (error) {
        logger.debug({ err: error, sentinel }, 'sentinel did not answer; asking the next one');
      } finally {
        client.disconnect();
      }
    }
    return false;
  };

  return {
    async confirm(node) {
      try {
        return node.replicas > 0 ? await replicated(node) : await namedAlone(node);
      } catch (error) {
        // a connection lost mid-check: the grant may be on a node that is going away
        logger.debug({ err: error }, 'grant not confirmed');
        return false;
      }
    },
  };
}

/**
 * Whether a sentinel's view shows the node `runId` as the only node that can hold the bucket: the master it
 * names, not down and not being failed over, and every replica it knows of unreachable.
 */
export function sentinelNamesAlone(
  master: Map<string, string>,
  replicas: Map<string, string>[],
  runId: string,
): boolean {
  const flags = (fields: Map<string, string>) => (fields.get('flags') ?? '').split(',');
  if (master.get('runid') !== runId) return false;
  if (flags(master).some((f) => f === 's_down' || f === 'o_down' || f.startsWith('failover'))) return false;
  return replicas.every((r) => flags(r).some((f) => f === 's_down' || f === 'disconnected'));
}

/** A sentinel's flat `[name, value, …]` reply as a map. */
function fieldsOf(reply: unknown): Map<string, string> {
  const list = Array.isArray(reply) ? (reply as unknown[]) : [];
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < list.length; i += 2) fields.set(String(list[i]), String(list[i + 1]));
  return fields;
}

function runIdOf(info: string): string | undefined {
  return /run_id:(\w+)/.exec(info)?.[1];
}
