import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTmdbFake } from '@minato/tmdb-fake';
import { searchTorrents } from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { statusOf } from '../support/pipeline-status.js';
import { labelledQueries, relevanceTorrents, scoreRelevance } from '../support/search-relevance.js';
import {
  startNode,
  startReadyWorker,
  stopProcess,
  type RunningProcess,
} from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

// The labelled corpus (test/fixtures/search-relevance.json) through all three passes against the TMDB
// fake, then searched the way people type. Targets and the held-out figures: README.md, "Search".
describe('search relevance on the labelled corpus', () => {
  let h: Harness;
  let tmdb: Awaited<ReturnType<typeof startTmdbFake>>;
  const processes: RunningProcess[] = [];
  const torrents = relevanceTorrents();

  beforeAll(async () => {
    h = await createHarness();
    tmdb = await startTmdbFake({ port: 0 });
    const env = {
      ...h.env,
      TMDB_BASE_URL: tmdb.baseUrl,
      TMDB_API_KEY: 'minato-dev-key',
      // The rate limit has tests of its own; here it would only make the run wait.
      TMDB_RATE_CAPACITY: '10000',
      TMDB_RATE_REFILL_PER_SEC: '10000',
      RECONCILE_EVERY_MS: '0',
    };
    for (const name of ['ingest', 'enrichment', 'sync'] as const) {
      processes.push((await startReadyWorker(name, env)).worker);
    }
    await h.seed(torrents);
    await h.enqueueIngest(torrents.map((t) => t.infoHash));
    await waitFor(
      'every row enriched where it can be and projected at its last version',
      async () => {
        const status = await statusOf(h);
        const busy = Object.values(status.queues).some((q) => q.waiting + q.active + q.delayed > 0);
        const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM torrents
          WHERE indexed_version IS DISTINCT FROM version`;
        return !busy && row?.n === 0 && status.postgres.matched === status.elasticsearch.matched;
      },
      { timeoutMs: 170_000, intervalMs: 1_000 },
    );
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => stopProcess(p)));
    await tmdb?.close();
    await h?.close();
  });

  it('finds the wanted release in the top 10 for 95% of queries and puts its work first for 95%', async () => {
    const report = await scoreRelevance(h.search, h.config.ELASTICSEARCH_INDEX, labelledQueries(torrents));
    console.table(
      report.rows.map((r) => ({
        ...r,
        recallAt10: r.recallAt10.toFixed(3),
        releaseRecallAt10: r.releaseRecallAt10.toFixed(3),
        topWorkRight: r.topWorkRight.toFixed(3),
      })),
    );
    for (const miss of report.misses) console.log(`  ${miss}`);
    const [all, , , packs] = report.rows;
    expect(all!.recallAt10).toBeGreaterThanOrEqual(0.95);
    expect(all!.topWorkRight).toBeGreaterThanOrEqual(0.95);
    expect(packs!.recallAt10).toBeGreaterThanOrEqual(0.9);
  });

  it('shows distinct works first: the releases of one film come as one group', async () => {
    const { works } = await searchTorrents(h.search, h.config.ELASTICSEARCH_INDEX, 'the matrix', 10);
    const keys = works.map((w) => w.work);
    expect(new Set(keys).size).toBe(keys.length);
    expect(works[0]?.releases.length).toBeGreaterThan(1);
    expect(works[0]?.releases.every((r) => r.work === works[0]?.work)).toBe(true);
  });

  it('falls back to plain full text when the parsed reading finds nothing', async () => {
    const result = await searchTorrents(h.search, h.config.ELASTICSEARCH_INDEX, 'pink floyd moon', 5);
    expect(result.fullText).toBe(false);
    expect(result.works[0]?.releases[0]?.titleRaw).toMatch(/Pink Floyd/);
    const garbled = await searchTorrents(h.search, h.config.ELASTICSEARCH_INDEX, 'x264 GROUP s99e99', 5);
    expect(garbled.fullText).toBe(true);
  });

  it('answers minato search as searchTorrents does through the full client, without ever loading that client', async () => {
    const index = h.config.ELASTICSEARCH_INDEX;
    let answered = 0;
    // A structured reading, a season, a number, the full-text fallback and no match at all.
    for (const text of [
      'the matrix 1999',
      'breaking bad season 4',
      'one piece 1000',
      'x264 GROUP s99e99',
      'zzqx',
    ]) {
      const proc = startNode(
        [
          '--import',
          './test/support/without-elasticsearch-client/register.mjs',
          'packages/cli/dist/main.js',
          'search',
          '--json',
          '--limit',
          '5',
          text,
        ],
        h.env,
      );
      const { code } = await proc.exited;
      expect(code, proc.output()).toBe(0);
      const printed = proc
        .output()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown);
      const { works } = await searchTorrents(h.search, index, text, 5, { releasesPerWork: 10 });
      const expected = works.flatMap((group, i) =>
        group.releases.map((hit) => ({ ...hit, workRank: i + 1 })),
      );
      expect(printed, text).toEqual(expected);
      answered += printed.length;
    }
    expect(answered).toBeGreaterThan(0);
  });

  it('prints works grouped, and one JSON object per release with its work key under --json', async () => {
    const minato = async (...args: string[]) => {
      const proc = startNode(['packages/cli/dist/main.js', 'search', ...args], h.env);
      const { code } = await proc.exited;
      expect(code, proc.output()).toBe(0);
      return proc.output();
    };
    const lines = (await minato('--json', '--limit', '2', 'the', 'matrix', '1999')).trim().split('\n');
    const hits = lines.map(
      (line) => JSON.parse(line) as { work: string; workRank: number; titleRaw: string },
    );
    expect(hits.length).toBeGreaterThan(1);
    expect(hits[0]).toMatchObject({ workRank: 1 });
    expect(hits[0]?.titleRaw).toMatch(/Matrix/);
    expect(hits.filter((hit) => hit.workRank === 1).every((hit) => hit.work === hits[0]?.work)).toBe(true);
    const screen = await minato('--limit', '1', 'breaking', 'bad', 'season', '4');
    expect(screen).toMatch(/^Breaking Bad \(2008\) S04 \(pack\)/m);
    expect(screen).toMatch(/^ {2}· Breaking\.Bad\.S04\.COMPLETE/m);
  });
});
