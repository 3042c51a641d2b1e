import { SearchReadOnlyError, SearchUnavailableError } from '../errors.js';
import { ENGINE_LABEL } from '../search/engines/search-failures.js';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import type { Sql } from '../db/sql-client.js';
import { requiredPrivileges, type SearchRole } from '../search/engines/required-privileges.js';
import type { SearchEngine } from '../search/engines/search-engine.js';
import { checkSearchPrivileges } from '../search/engines/search-privileges.js';
import { within } from '../util/within.js';
import type { Probe } from './queue-parking.js';
import type { RedisClient } from '../queues/redis-client.js';

const REDIS_PING_MS = 2_000;

// The settings that stop writes: the flood-stage watermark sets read_only_allow_delete.
const WRITE_BLOCKS = ['index.blocks.write', 'index.blocks.read_only', 'index.blocks.read_only_allow_delete'];

/**
 * Resolves when every index behind `alias` takes writes: the same credentials a worker writes with, and no
 * write block. Needs `view_index_metadata`, which every writing role has (README, Security).
 */
export async function indexWritable(search: SearchEngine, alias: string): Promise<void> {
  // A red index (a primary lost with its node) takes no writes to its shard until the node is back.
  if ((await search.health(alias)) === 'red') {
    const { engine } = await search.info();
    throw new SearchUnavailableError(
      `${ENGINE_LABEL[engine]} index ${alias} is red: a primary shard is not allocated`,
      {
        index: alias,
      },
    );
  }
  for (const [index, blocks] of Object.entries(await search.writeBlocks(alias))) {
    const blocked = blocks.filter((name) => WRITE_BLOCKS.includes(name));
    if (blocked.length > 0) {
      throw new SearchReadOnlyError(`${index} is still blocked: ${blocked.join(', ')}`, { index, blocked });
    }
  }
}

/** The clients a worker's probes ask, as a worker's runtime holds them. */
export interface ProbedClients {
  readonly config: Pick<Config, 'ELASTICSEARCH_INDEX' | 'ELASTICSEARCH_NODE'>;
  /** where Redis is, in words (`describeRedisTarget`) */
  readonly redisWhere: string;
  /** who asks: a worker's role decides the Elasticsearch privileges it needs */
  readonly component: string;
  readonly logger: Logger;
  readonly redis: RedisClient;
  readonly sql: Sql;
  readonly search: SearchEngine;
}

/**
 * The probes a parked worker runs for Redis, PostgreSQL and Elasticsearch; TMDB's comes from pass 2. A worker's
 * Elasticsearch probe also asks for every privilege its role needs (README, Security): a key that lost its
 * write privilege still reads the settings, and would otherwise resume only to park again on the next write.
 */
export function dependencyProbes(
  runtime: ProbedClients,
): Record<'redis' | 'postgres' | 'elasticsearch', Probe> {
  const { config, component } = runtime;
  return {
    redis: async () => {
      // Named in every failure: the error that parked the queue may be a bare "read ECONNRESET".
      const where = `Redis at ${runtime.redisWhere}`;
      // A reconnecting connection queues commands until it is back: its status answers at once.
      const { status } = runtime.redis;
      if (status !== 'ready') throw new Error(`the connection to ${where} is ${status}`);
      // A connection that has not yet noticed the server went away queues the PING too: bounded here, below
      // the parking's own probe timeout, so that the failure still names the server.
      await within(
        REDIS_PING_MS,
        runtime.redis.ping(),
        `${where} did not answer PING within ${REDIS_PING_MS} ms`,
      ).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(message.startsWith(where) ? message : `${where}: ${message}`);
      });
    },
    postgres: () => runtime.sql`SELECT 1`,
    elasticsearch: async () => {
      await indexWritable(runtime.search, config.ELASTICSEARCH_INDEX);
      if (!isSearchRole(component)) return;
      await checkSearchPrivileges({
        engine: runtime.search,
        alias: config.ELASTICSEARCH_INDEX,
        role: component,
        logger: runtime.logger,
      });
    },
  };
}

function isSearchRole(component: string): component is SearchRole {
  return Object.hasOwn(requiredPrivileges, component);
}
