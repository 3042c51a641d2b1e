import { Cluster, ReplyError } from 'ioredis';
import postgres from 'postgres';
import type { Config } from '../config/config.js';
import { migrations } from '../db/migrations/index.js';
import type { Sql } from '../db/sql-client.js';
import type { RedisClient } from '../queues/redis-client.js';
import type { RedisMode } from '../queues/redis-target.js';
import {
  DependencyUnavailableError,
  SearchAuthError,
  SearchUnavailableError,
  type Dependency,
} from '../errors.js';
import type { SearchEngine } from '../search/engines/search-engine.js';
import { nodeOrigin } from '../search/engines/search-failures.js';
import { within } from '../util/within.js';

/**
 * What a command needs before it starts: `database` is PostgreSQL migrated to this version's schema,
 * `database-server` only reachable (what `minato migrate` needs), `redis` reachable with the password accepted,
 * `search` Elasticsearch reachable with the credentials accepted (a missing index is the command's to handle: most
 * create it, `minato search` says so).
 */
export type Need = 'database' | 'database-server' | 'redis' | 'search';

export type CheckedDependency = Exclude<Dependency, 'tmdb'>;

export interface PreflightClients {
  readonly config: Pick<
    Config,
    'DATABASE_URL' | 'ELASTICSEARCH_NODE' | 'SEARCH_NODES' | 'ELASTICSEARCH_INDEX'
  >;
  /** where Redis is, in words (`describeRedisTarget`): a host:port, the sentinels or the cluster's nodes */
  readonly redisWhere: string;
  readonly sql: Sql;
  readonly redis: RedisClient;
  readonly search: SearchEngine;
}

/** How long one dependency may take to answer: a command says what is missing well within 5 s. */
export const PREFLIGHT_TIMEOUT_MS = 3_000;

const DEPENDENCY_OF: Record<Need, CheckedDependency> = {
  database: 'postgres',
  'database-server': 'postgres',
  redis: 'redis',
  search: 'elasticsearch',
};

/**
 * Checks every dependency that `needs` name, all at once, each within `timeoutMs`; resolves to the ones found
 * missing, by dependency. Nothing here retries: a command is run again by the person who reads the answer.
 */
export async function preflight(
  clients: PreflightClients,
  needs: readonly Need[],
  timeoutMs = PREFLIGHT_TIMEOUT_MS,
): Promise<Map<CheckedDependency, DependencyUnavailableError>> {
  const byDependency = new Map<CheckedDependency, Need[]>();
  for (const need of needs) {
    const dependency = DEPENDENCY_OF[need];
    byDependency.set(dependency, [...(byDependency.get(dependency) ?? []), need]);
  }
  const missing = new Map<CheckedDependency, DependencyUnavailableError>();
  await Promise.all(
    [...byDependency].map(async ([dependency, wanted]) => {
      const address = addressOf(dependency, clients);
      const check = CHECKS[dependency](clients, wanted, address);
      const silent = new DependencyUnavailableError(
        dependency,
        address,
        `did not answer within ${timeoutMs / 1000} s`,
        unreachableFix(dependency, clients),
      );
      await within(timeoutMs, check, silent.message).catch((error: unknown) => {
        missing.set(dependency, error instanceof DependencyUnavailableError ? error : silent);
      });
    }),
  );
  // In a fixed order, so that the first one missing (whose exit status a command takes) does not depend on timing.
  return new Map(ORDER.flatMap((d) => (missing.has(d) ? [[d, missing.get(d)!] as const] : [])));
}

const ORDER: readonly CheckedDependency[] = ['postgres', 'redis', 'elasticsearch'];

const FIXES = {
  postgres: {
    unreachable: 'start PostgreSQL or correct DATABASE_URL',
    refused: 'check the user and password in DATABASE_URL',
    migrate: 'run `minato migrate`',
  },
  redis: {
    // by mode: an operator of Sentinel or Cluster sets neither REDIS_HOST nor REDIS_PORT
    unreachable: {
      standalone: 'start Redis or correct REDIS_HOST and REDIS_PORT',
      sentinel: 'start Redis or correct REDIS_SENTINELS, REDIS_SENTINEL_PASSWORD and REDIS_TLS',
      cluster: 'start Redis or correct REDIS_CLUSTER_NODES and REDIS_TLS',
    },
    refused: 'check REDIS_PASSWORD',
  },
  elasticsearch: {
    unreachable: 'start Elasticsearch or correct ELASTICSEARCH_NODE',
    refused: 'check ELASTICSEARCH_API_KEY (or the user:password in ELASTICSEARCH_NODE)',
  },
} as const;

function unreachableFix(dependency: CheckedDependency, { redis }: Pick<PreflightClients, 'redis'>): string {
  return dependency === 'redis' ? FIXES.redis.unreachable[redisModeOf(redis)] : FIXES[dependency].unreachable;
}

function redisModeOf(redis: RedisClient): RedisMode {
  if (redis instanceof Cluster) return 'cluster';
  return redis.options.sentinels?.length ? 'sentinel' : 'standalone';
}

/** Where a dependency is, as an operator would type it, with no password. */
export function addressOf(
  dependency: CheckedDependency,
  { config, redisWhere }: Pick<PreflightClients, 'config' | 'redisWhere'>,
): string {
  switch (dependency) {
    case 'postgres': {
      const url = new URL(config.DATABASE_URL);
      return `${url.hostname}:${url.port || 5432}${url.pathname}`;
    }
    case 'redis':
      return redisWhere;
    case 'elasticsearch':
      return nodeOrigin(config.SEARCH_NODES ?? config.ELASTICSEARCH_NODE);
  }
}

/** ioredis's ClusterAllFailedError (not exported) keeps the error of the last node it asked. */
function lastNodeErrorOf(error: unknown): unknown {
  return error instanceof Error && 'lastNodeError' in error && error.lastNodeError instanceof Error
    ? error.lastNodeError
    : undefined;
}

const reasonOf = (error: unknown) => {
  const code = error instanceof Error && 'code' in error ? String(error.code) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
};

const CHECKS: Record<
  CheckedDependency,
  (clients: PreflightClients, needs: Need[], address: string) => Promise<void>
> = {
  async postgres({ sql }, needs, address) {
    const fail = (problem: string, fix: string, cause?: unknown) =>
      new DependencyUnavailableError('postgres', address, problem, fix, { cause });
    let version: number;
    try {
      // Two statements: PostgreSQL plans the second's table even where a CASE would skip it.
      const [table] = await sql<
        { present: boolean }[]
      >`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`;
      const [row] = table?.present
        ? await sql<
            { version: number }[]
          >`SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations`
        : [];
      version = row?.version ?? 0;
    } catch (error) {
      // 28P01 wrong password, 28000 no such role or no access, 3D000 no such database.
      if (error instanceof postgres.PostgresError && ['28P01', '28000'].includes(error.code)) {
        throw fail(`refused the login (${error.code}: ${error.message})`, FIXES.postgres.refused, error);
      }
      if (error instanceof postgres.PostgresError && error.code === '3D000') {
        throw fail(`has no such database (${error.message})`, 'create it, or correct DATABASE_URL', error);
      }
      throw fail(`is unreachable (${reasonOf(error)})`, FIXES.postgres.unreachable, error);
    }
    const latest = Math.max(...migrations.map((m) => m.version));
    if (needs.includes('database') && version < latest) {
      throw fail(
        `is not migrated (schema version ${version}, this release needs ${latest})`,
        FIXES.postgres.migrate,
      );
    }
  },

  async redis({ redis }, _needs, address) {
    // A PING on a connection that cannot be made fails with "max retries per request": the connection's own
    // error (refused, unknown host, TLS) is what names the problem. Sentinel and Cluster clients retry finding
    // their nodes forever, a command's too (redis-client.ts), so there the PING would wait out the deadline and
    // say nothing of why: the first failed search for the nodes is the answer.
    const mode = redisModeOf(redis);
    let connectionError: unknown;
    let onError: (error: Error) => void = () => undefined;
    const searchFailed = new Promise<never>((_, reject) => {
      onError = (error) => {
        connectionError = error;
        if (mode !== 'standalone') reject(error);
      };
    });
    searchFailed.catch(() => undefined);
    redis.on('error', onError);
    try {
      await Promise.race([redis.ping(), searchFailed]);
    } catch (failure) {
      // A cluster that no seed node answered carries the last node's own error (ioredis's ClusterAllFailedError).
      const error = lastNodeErrorOf(failure) ?? failure;
      // Redis names a refusal by the first word of its reply: WRONGPASS, or NOAUTH when a password is needed.
      const code = error instanceof ReplyError ? (error as Error).message.split(' ')[0] : undefined;
      if (code === 'WRONGPASS' || code === 'NOAUTH') {
        throw new DependencyUnavailableError(
          'redis',
          address,
          `refused the connection (${code})`,
          FIXES.redis.refused,
          {
            cause: error,
          },
        );
      }
      const seen = connectionError ?? error;
      const reason = reasonOf(lastNodeErrorOf(seen) ?? seen);
      throw new DependencyUnavailableError(
        'redis',
        address,
        `is unreachable (${reason})`,
        FIXES.redis.unreachable[mode],
        {
          cause: error,
        },
      );
    } finally {
      redis.off('error', onError);
    }
  },

  async elasticsearch({ search, config }, _needs, address) {
    const fail = (problem: string, fix: string, cause?: unknown) =>
      new DependencyUnavailableError('elasticsearch', address, problem, fix, { cause });
    try {
      await search.indexExists(config.ELASTICSEARCH_INDEX);
    } catch (error) {
      if (error instanceof SearchAuthError) {
        throw fail(
          `refused the credentials (HTTP ${String(error.context.status)})`,
          FIXES.elasticsearch.refused,
          error,
        );
      }
      // The engine names the node in its own message: the client's error beneath says why.
      const reason = reasonOf(error instanceof SearchUnavailableError ? (error.cause ?? error) : error);
      throw fail(`is unreachable (${reason})`, FIXES.elasticsearch.unreachable, error);
    }
  },
};
