import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalog, startTmdbFake } from '@minato/tmdb-fake';
import { parseRelease, reconcile, titleKey } from '@minato/core';
import { ownPort, startOwnRedis, stopOwnRedis } from '../support/local-services.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import type { ReachedStatus } from '../support/pipeline-status.js';
import {
  runNode,
  withOutput,
  startReadyWorker,
  stopProcess,
  type RunningProcess,
  type WorkerName,
} from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

// Past the waits' own deadlines (up to 300 s to drain, plus the workers' start): under load the suite's 180 s
// would cut a slow but healthy run short before its wait could report what it last saw.
const E2E_TIMEOUT_MS = 420_000;

interface Agreement {
  rows: number;
  disagreements: string[];
}

/** Compares every row of this test's schema with its document: version, enrichment, poster, rating, overview. */
async function compare(h: Harness): Promise<Agreement> {
  const rows = await h.sql<
    {
      info_hash: string;
      version: number;
      enrichment_status: string | null;
      poster_path: string | null;
      rating: number | null;
      overview: string | null;
    }[]
  >`SELECT t.info_hash, t.version, t.enrichment_status, m.poster_path, m.rating, m.overview
    FROM torrents t LEFT JOIN media m ON m.id = t.media_id ORDER BY t.info_hash`;
  const disagreements: string[] = [];
  for (let i = 0; i < rows.length; i += 1_000) {
    const page = rows.slice(i, i + 1_000);
    const docs = await h.rest.mget<{
      enriched: boolean;
      poster_url: string | null;
      rating: number | null;
      overview: string | null;
    }>(
      h.config.ELASTICSEARCH_INDEX,
      page.map((r) => r.info_hash),
    );
    page.forEach((row, j) => {
      const doc = docs[j];
      if (!doc?.found) return disagreements.push(`${row.info_hash}: missing`);
      const source = doc._source!;
      const matched = row.enrichment_status === 'matched';
      if (doc._version !== row.version)
        disagreements.push(`${row.info_hash}: version ${doc._version} != ${row.version}`);
      if (source.enriched !== matched) disagreements.push(`${row.info_hash}: enriched ${source.enriched}`);
      if (
        matched &&
        (!source.poster_url?.endsWith(row.poster_path ?? '') ||
          source.rating !== row.rating ||
          source.overview !== row.overview)
      ) {
        disagreements.push(`${row.info_hash}: enrichment differs`);
      }
    });
  }
  return { rows: rows.length, disagreements };
}

describe('the whole pipeline', { timeout: E2E_TIMEOUT_MS }, () => {
  let h: Harness;
  let tmdb: Awaited<ReturnType<typeof startTmdbFake>>;
  let processes: RunningProcess[] = [];
  const startAll = async (names: WorkerName[] = ['ingest', 'enrichment', 'sync']) => {
    for (const name of names) {
      const env = {
        ...h.env,
        TMDB_BASE_URL: tmdb.baseUrl,
        TMDB_API_KEY: 'minato-dev-key',
        RECONCILE_EVERY_MS: '0',
      };
      processes.push((await startReadyWorker(name, env)).worker);
    }
  };
  const status = async (): Promise<ReachedStatus> => {
    const out = await runNode(['packages/cli/dist/main.js', 'status', '--json'], h.env);
    expect(out.code, withOutput(out)).toBe(0);
    return JSON.parse(out.output.trim().split('\n').at(-1) ?? '{}') as ReachedStatus;
  };
  const idle = async () => {
    const s = await status();
    const busy = Object.values(s.queues).some((q) => q.waiting + q.active + q.delayed > 0);
    return !busy && s.postgres.indexed === s.postgres.torrents ? s : null;
  };

  afterEach(async () => {
    await Promise.all(processes.map((p) => stopProcess(p)));
    processes = [];
    await tmdb.close();
    await h.close();
  });

  it('indexes 3,000 seeded torrents, enriches the known films and series, and both stores agree', async () => {
    h = await createHarness();
    tmdb = await startTmdbFake({ port: 0 });
    await startAll();
    const torrents = await h.seed(3_000, 7);
    await h.enqueueIngest(torrents.map((t) => t.infoHash));
    const final = await waitFor(
      'the pipeline to drain',
      async () => {
        const s = await idle();
        return s && s.postgres.matched === s.elasticsearch.matched ? s : null;
      },
      { timeoutMs: 300_000, intervalMs: 2_000 },
    );
    expect(final.postgres).toMatchObject({ torrents: 3_000, indexed: 3_000 });
    expect(final.elasticsearch.docs).toBe(3_000);
    expect(final.postgres.matched).toBeGreaterThan(1_000);
    expect(final.postgres.matched).toBe(final.elasticsearch.matched);
    // Every enrichable release the catalog knows is matched, the other enrichable ones are remembered as
    // misses, and non-video never reaches pass 2: it stays plain.
    const known = new Set([
      ...defaultCatalog.movies.map((m) => titleKey(m.title)),
      ...defaultCatalog.series.map((s) => titleKey(s.name)),
    ]);
    const rows = await h.sql<
      { title: string; enrichment_status: string | null }[]
    >`SELECT title, enrichment_status FROM torrents`;
    const wrong = rows.filter(({ title, enrichment_status: status }) => {
      const release = parseRelease(title);
      if (!release.enrichable || !release.title) return status !== null;
      return status !== (known.has(titleKey(release.title)) ? 'matched' : 'no_match');
    });
    expect(wrong).toEqual([]);
    expect(rows.filter((r) => r.enrichment_status === null).length).toBeGreaterThan(500);
    const { disagreements } = await compare(h);
    expect(disagreements).toEqual([]);
  });

  describe('when Redis loses its data mid-run', () => {
    // Shifted with OWN_PORT_SHIFT: each engine of the matrix flushes and stops a Redis of its own, not another's.
    const port = ownPort(6380);
    beforeAll(() => startOwnRedis(port));
    afterAll(() => stopOwnRedis(port));

    it('ends with PostgreSQL and Elasticsearch agreeing on every row after the reconciler runs', async () => {
      h = await createHarness({ REDIS_PORT: String(port) });
      tmdb = await startTmdbFake({ port: 0 });
      await startAll();
      const torrents = await h.seed(2_000, 11);
      await h.enqueueIngest(torrents.map((t) => t.infoHash));
      await waitFor(
        'the run to be under way',
        async () => (await h.pgIndexed(torrents.map((t) => t.infoHash))) >= 300,
        { timeoutMs: 60_000 },
      );
      await h.redis.flushall();
      // Jobs lost with Redis: only the reconciler, reading PostgreSQL and Elasticsearch, can bring them back.
      const summary = await reconcile({
        repository: h.repository,
        search: h.search,
        index: h.config.ELASTICSEARCH_INDEX,
        queues: h.queues,
      });
      expect(summary.scanned).toBe(2_000);
      expect(summary.ingest + summary.sync + summary.classify).toBeGreaterThan(0);

      const agreed = await waitFor(
        'every row to agree',
        async () => {
          const s = await idle();
          if (!s) return null;
          const result = await compare(h);
          return result.disagreements.length === 0 ? result : null;
        },
        { timeoutMs: 300_000, intervalMs: 2_000 },
      );
      expect(agreed.rows).toBe(2_000);
      expect((await status()).postgres.indexed).toBe(2_000);
    });
  });
});
