import {
  closeQueues,
  componentLogger,
  createLogger,
  createQueues,
  createRedis,
  createSearchClient,
  createSqlClient,
  loadConfig,
  TorrentRepository,
  type Config,
  type Logger,
  type SearchClient,
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
    return (this.redisClient ??= createRedis({
      host: this.config.REDIS_HOST,
      port: this.config.REDIS_PORT,
      password: this.config.REDIS_PASSWORD,
    }));
  }

  get search(): SearchClient {
    return (this.searchClient ??= createSearchClient({
      node: this.config.ELASTICSEARCH_NODE,
      apiKey: this.config.ELASTICSEARCH_API_KEY,
    }));
  }

  get queues(): Queues {
    return (this.queueSet ??= createQueues(this.redis, this.config.QUEUE_PREFIX));
  }

  async close(): Promise<void> {
    await closeQueues(Object.values(this.queueSet ?? {}));
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
