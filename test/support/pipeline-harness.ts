import { createServer } from 'node:net';
import {
  createQueues,
  createRedisClient,
  createSearchEngine,
  createSqlClient,
  createLogger,
  enqueueTorrents,
  indexPattern,
  templateName,
  migrate,
  redisKeysOf,
  redisTarget,
  searchClientOptions,
  syntheticTorrents,
  textArray,
  TorrentRepository,
  within,
  type Config,
  type NewTorrent,
} from '@minato/core';
import { searchRest } from './search-rest.js';
import { testConfig, uniqueName } from './test-env.js';

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const CLOSE_STEP_MS = 30_000;

/**
 * One test's slice of the shared services: its own queue prefix, index alias and PostgreSQL schema
 * (through `search_path` in DATABASE_URL, so worker processes see only this test's tables), and clients
 * to inspect all three.
 */
export async function createHarness(overrides: Record<string, string> = {}) {
  const prefix = uniqueName('t');
  const index = uniqueName('torrents');
  const schema = prefix.replace(/-/g, '_');
  // A test may point at a PostgreSQL of its own (DATABASE_URL); the schema is made there. A URL that names its
  // schema is taken as it is: a database of the test's own, reached through PgBouncer, which sets no search_path.
  const base = testConfig(overrides.DATABASE_URL ? { DATABASE_URL: overrides.DATABASE_URL } : {});
  const ownSchema = !base.DATABASE_URL.includes('search_path=');
  if (ownSchema) {
    const admin = createSqlClient({ url: base.DATABASE_URL, max: 1 });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    await admin.end();
  }
  const env = {
    QUEUE_PREFIX: prefix,
    ELASTICSEARCH_INDEX: index,
    // The tests of the enqueue path prove it alone: with the feed on, a worker's catch-up would also send
    // every row they seed. The feed's own tests turn it on (test/integration/feed*.test.ts).
    FEED: 'off',
    ...overrides,
    DATABASE_URL: ownSchema ? `${base.DATABASE_URL}?search_path=${schema}` : base.DATABASE_URL,
  };
  const config: Config = testConfig(env);
  const redis = createRedisClient(redisTarget(config), 'worker');
  // A test that fails Redis over sees this connection drop and come back: ioredis would print each attempt.
  redis.on('error', () => undefined);
  const sql = createSqlClient({ url: config.DATABASE_URL });
  const search = createSearchEngine(searchClientOptions(config));
  const rest = searchRest(config);
  await migrate(sql, createLogger({ level: 'silent', format: 'json' }));
  const keys = redisKeysOf(config);
  const queues = createQueues(redis, keys);
  const repository = new TorrentRepository(sql);

  return {
    config,
    /** this test's Redis keys, hash-tagged when it runs on a cluster */
    keys,
    env,
    redis,
    sql,
    search,
    /** the engine's REST API, for what a test sets up or checks beside the pipeline */
    rest,
    queues,
    repository,
    /** inserts `count` synthetic torrents (or the given ones); returns them */
    async seed(
      countOrTorrents: number | NewTorrent[],
      seed = Math.floor(Math.random() * 1e9),
    ): Promise<NewTorrent[]> {
      const torrents =
        typeof countOrTorrents === 'number' ? syntheticTorrents(countOrTorrents, seed) : countOrTorrents;
      for (let i = 0; i < torrents.length; i += 1_000) await repository.insert(torrents.slice(i, i + 1_000));
      return torrents;
    },
    enqueueIngest: (hashes: string[]) => enqueueTorrents(queues, 'TORRENT_INGEST', hashes),
    /** documents in this test's index (refreshed first); 0 when the index does not exist yet */
    async esCount(query?: Parameters<typeof search.count>[1]): Promise<number> {
      if (!(await search.indexExists(index))) return 0;
      await search.refresh(index);
      return search.count(index, query);
    },
    /** how many of `hashes` have indexed_version set in PostgreSQL */
    async pgIndexed(hashes: string[]): Promise<number> {
      const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM torrents
        WHERE info_hash = ANY(${textArray(sql, hashes)}::text[]) AND indexed_version IS NOT NULL`;
      return row?.n ?? 0;
    },
    /** hashes marked indexed in PostgreSQL whose document is missing from Elasticsearch */
    async indexedButMissing(hashes: string[]): Promise<string[]> {
      const marked = await sql<{ info_hash: string }[]>`SELECT info_hash FROM torrents
        WHERE info_hash = ANY(${textArray(sql, hashes)}::text[]) AND indexed_version IS NOT NULL`;
      const missing: string[] = [];
      for (let i = 0; i < marked.length; i += 1_000) {
        const ids = marked.slice(i, i + 1_000).map((r) => r.info_hash);
        for (const doc of await search.storedVersions(index, ids))
          if (!('found' in doc) || !doc.found) missing.push(doc.id);
      }
      return missing;
    },
    /** Every step runs even when an earlier one fails (a test may have stopped Elasticsearch). */
    async close(): Promise<void> {
      const steps: (() => Promise<unknown>)[] = [
        () => Promise.allSettled(Object.values(queues).map((q) => q.obliterate({ force: true }))),
        () => Promise.allSettled(Object.values(queues).map((q) => q.close())),
        async () => {
          // Deletion by wildcard is refused (action.destructive_requires_name), so resolve the names first.
          const concrete = Object.keys(
            await rest.request<object>('GET', `/${indexPattern(index)}?allow_no_indices=true`),
          );
          await search.deleteIndexes(concrete);
        },
        () => rest.request('DELETE', `/_index_template/${templateName(index)}`),
        () => (ownSchema ? sql.unsafe(`DROP SCHEMA ${schema} CASCADE`) : Promise.resolve()),
      ];
      // Bounded: a test that failed with a service stopped must not hang its cleanup (a command to a stopped
      // Redis waits for the reconnection).
      for (const step of steps)
        await within(CLOSE_STEP_MS, step(), 'cleanup step timed out').catch(() => undefined);
      await Promise.allSettled([
        within(CLOSE_STEP_MS, redis.quit(), 'QUIT timed out').catch(() => redis.disconnect()),
        sql.end({ timeout: 5 }),
        search.close(),
      ]);
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;
