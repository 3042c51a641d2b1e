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
 *   - every replica online on the granting node when it granted acknowledged the grant (WAIT), so the replica
 *     the sentinels promote knows it; or
 *   - no replica was online, and a sentinel names that very node (by run_id) as the master, with no failover
 *     under way and no replica that replicates: nothing else can be promoted with a bucket that lacks the grant.
 *     That is the case after a killed master (the new master has no replica until the old one returns), and
 *     after a planned failover until the demoted master has rejoined as a replica and synced.
 * Anything else withholds the grant: a demoted master that has not heard of its demotion yet (its replica was
 * just promoted and left it) is either still named beside a replica whose link the sentinels last saw up, or
 * flagged as being failed over, or no longer named at all.
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

  /** The granting node's address as this connection reaches it, when the connection still reaches that node. */
  const addressOf = async (node: GrantingNode): Promise<string | undefined> => {
    const results = await redis.pipeline().client('INFO').info('server').exec();
    const [client, info] = (results ?? []).map(([error, value]) => (error ? undefined : value));
    if (typeof info !== 'string' || runIdOf(info) !== node.runId || typeof client !== 'string')
      return undefined;
    return /laddr=(\S+)/.exec(client)?.[1];
  };

  const namedAlone = async (node: GrantingNode): Promise<boolean> => {
    const address = await addressOf(node);
    if (address === undefined) return false;
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
        return sentinelNamesAlone(fieldsOf(master), (replicas as unknown[]).map(fieldsOf), {
          runId: node.runId,
          address,
        });
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
 * names, not down and not being failed over, and no replica it knows of both reachable and replicating (a
 * replica still syncing, or a demoted master not yet turned into a replica, has its link down: it will take
 * this node's whole dataset, grant included, before it can be promoted).
 */
export function sentinelNamesAlone(
  master: Map<string, string>,
  replicas: Map<string, string>[],
  node: { runId: string; address: string },
): boolean {
  const flags = (fields: Map<string, string>) => (fields.get('flags') ?? '').split(',');
  // A sentinel learns a new master's run_id from its next INFO, up to 10 s after the switch; until then the
  // address it names must be the one this connection reached the node at (where NAT or host names make the two
  // differ, the grant waits for the run_id).
  const runId = master.get('runid');
  const named = runId ? runId === node.runId : `${master.get('ip')}:${master.get('port')}` === node.address;
  if (!named) return false;
  if (flags(master).some((f) => f === 's_down' || f === 'o_down' || f.startsWith('failover'))) return false;
  return replicas.every(
    (r) =>
      flags(r).some((f) => f === 's_down' || f === 'disconnected') || r.get('master-link-status') !== 'ok',
  );
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
