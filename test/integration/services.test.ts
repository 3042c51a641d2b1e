import { afterAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  createRedisClient,
  redisTarget,
  createSearchEngine,
  searchClientOptions,
  createSqlClient,
  migrate,
  migrations,
} from '@minato/core';
import { testConfig, uniqueName } from '../support/test-env.js';

const config = testConfig();
const logger = createLogger({ level: 'silent', format: 'json' });

describe('the local services are real', () => {
  const redis = createRedisClient(redisTarget(config), 'command');
  const sql = createSqlClient({ url: config.DATABASE_URL });
  const search = createSearchEngine(searchClientOptions(config));
  afterAll(async () => {
    await redis.quit();
    await sql.end();
    await search.close();
  });

  it('round-trips a value through Redis 7', async () => {
    const key = uniqueName('roundtrip');
    await redis.set(key, 'minato', 'PX', 10_000);
    expect(await redis.get(key)).toBe('minato');
    expect(await redis.info('server')).toMatch(/redis_version:7\./);
    await redis.del(key);
  });

  it('applies the migrations once: a second run changes nothing', async () => {
    await migrate(sql, logger);
    const before = await sql`SELECT version, applied_at FROM schema_migrations ORDER BY version`;
    const second = await migrate(sql, logger);
    expect(second.applied).toEqual([]);
    expect(second.current).toBe(migrations.at(-1)?.version);
    expect(await sql`SELECT version, applied_at FROM schema_migrations ORDER BY version`).toEqual(before);
  });

  it('lets only one of two concurrent migrations run (advisory lock)', async () => {
    const results = await Promise.all([migrate(sql, logger), migrate(sql, logger)]);
    expect(results.flatMap((r) => r.applied)).toEqual([]);
  });

  it('is Elasticsearch 9 by its product header, and finds a document by one word of its title', async () => {
    // `_nodes/_local`, not `GET /`: the integ-test-zip has no rest-root module, so `/` answers 405.
    const response = await fetch(`${config.ELASTICSEARCH_NODE}/_nodes/_local?filter_path=nodes.*.version`);
    expect(response.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const body = (await response.json()) as { nodes: Record<string, { version: string }> };
    expect(Object.values(body.nodes)[0]?.version).toMatch(/^9\./);

    const index = uniqueName('probe');
    try {
      await search.bulkIndex(index, [
        { id: '1', version: 1, body: { title: 'Blade Runner 2049 remastered' } },
      ]);
      await search.refresh(index);
      const hits = await search.search<unknown>({ index, query: { match: { title: 'runner' } } });
      expect(hits.hits.hits.map((h) => h._id)).toEqual(['1']);
    } finally {
      await search.deleteIndexes([index]);
    }
  });
});
