import {
  checkSearchPrivileges,
  componentLogger,
  createLogger,
  createQueues,
  createRedis,
  createSearchClient,
  createSqlClient,
  loadConfig,
  redisConnectionOptions,
  searchClientOptions,
  TorrentRepository,
  type Config,
  type Logger,
  type SearchClient,
  type SearchRole,
  type Sql,
} from '@minato/core';

type Queues = ReturnType<typeof createQueues>;
type Redis = ReturnType<typeof createRedis>;

/** The clients a command needs, each opened on first use and all closed by `close`. */
export class CliContext {
  readonly config: Config;
  readonly logger: Logger;
  private sqlClient?: Sql;
  private redisClient?: Redis;
  private searchClient?: SearchClient;
  private queueSet?: Queues;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.config = loadConfig(env);
    // Logs go to stderr so that a command's standard output stays machine-readable.
    this.logger = componentLogger(
      createLogger({
        level: this.config.LOG_LEVEL === 'info' ? 'warn' : this.config.LOG_LEVEL,
        format: 'pretty',
        destination: process.stderr,
      }),
      'cli',
    );
  }

  get sql(): Sql {
    return (this.sqlClient ??= createSqlClient({ url: this.config.DATABASE_URL, max: 4 }));
  }

  get repository(): TorrentRepository {
    return new TorrentRepository(this.sql);
  }

  get redis(): Redis {
    return (this.redisClient ??= createRedis(redisConnectionOptions(this.config)));
  }

  get search(): SearchClient {
    return (this.searchClient ??= createSearchClient(searchClientOptions(this.config)));
  }

  /** The search client, once the credentials proved to hold what `role` needs (README.md, Security). */
  async searchAs(role: SearchRole): Promise<SearchClient> {
    const { ELASTICSEARCH_NODE: node, ELASTICSEARCH_INDEX: alias } = this.config;
    await checkSearchPrivileges({ client: this.search, node, alias, role, logger: this.logger });
    return this.search;
  }

  get queues(): Queues {
    return (this.queueSet ??= createQueues(this.redis, this.config.QUEUE_PREFIX));
  }

  async close(): Promise<void> {
    await Promise.allSettled(Object.values(this.queueSet ?? {}).map((q) => q.close()));
    await Promise.allSettled([
      this.redisClient?.quit(),
      this.sqlClient?.end({ timeout: 5 }),
      this.searchClient?.close(),
    ]);
  }
}

/** Runs a command body with a fresh context and always closes it. */
export async function withContext<T>(body: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = new CliContext();
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
