import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLogger,
  enqueueTorrents,
  tmdbBucketKey,
  syntheticInfoHash,
  textArray,
  TokenBucket,
} from '@minato/core';
import { startTmdbFake } from '@minato/tmdb-fake';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';
import { describeWindow, tightestWindow } from '../support/rate-windows.js';

type Fake = Awaited<ReturnType<typeof startTmdbFake>>;

describe('enrichment workers (pass 2) against the TMDB fake', () => {
  let h: Harness;
  let tmdb: Fake;
  let workers: RunningProcess[] = [];
  const start = (replicas: number, extra: Record<string, string> = {}) =>
    Promise.all(
      Array.from({ length: replicas }, async () => {
        const { worker } = await startReadyWorker('enrichment', {
          ...h.env,
          TMDB_BASE_URL: tmdb.baseUrl,
          TMDB_API_KEY: 'minato-dev-key',
          ENRICHMENT_CONCURRENCY: '5',
          ...extra,
        });
        workers.push(worker);
        return worker;
      }),
    );
  /** The workers' shared bucket, to read the grants and pauses it recorded on Redis time. */
  const bucketOf = (capacity: number, refillPerSecond: number) =>
    new TokenBucket({
      redis: h.redis,
      key: tmdbBucketKey(tmdb.baseUrl, 'minato-dev-key'),
      capacity,
      refillPerSecond,
      logger: createLogger({ level: 'silent', format: 'json' }),
    });
  /** The busiest window of the bucket's grants (the proof) and of the fake's arrivals, both printed. */
  const budgetWindows = async (capacity: number, refill: number) => {
    const { grants } = await bucketOf(capacity, refill).ledger();
    const tightest = tightestWindow(grants, capacity, refill);
    // The fake's arrival stamps carry HTTP and event-loop delays on a second clock: a report, not the proof.
    const arrivals = tightestWindow(
      tmdb.requests.map((r) => r.at * 1000).sort((a, b) => a - b),
      capacity,
      refill,
    );
    console.info(
      `${describeWindow('grants', tightest)}; ${describeWindow('arrivals at the fake', arrivals)}`,
    );
    return { grants, tightest, arrivals };
  };
  const classify = (hashes: string[]) => enqueueTorrents(h.queues, 'CLASSIFY', hashes);
  const enrichmentOf = async (hashes: string[]) =>
    h.sql<{ info_hash: string; enrichment_status: string | null; tmdb_id: number | null }[]>`
      SELECT t.info_hash, t.enrichment_status, m.tmdb_id FROM torrents t LEFT JOIN media m ON m.id = t.media_id
      WHERE t.info_hash = ANY(${textArray(h.sql, hashes)}::text[])`;
  const settled = (hashes: string[]) =>
    waitFor(
      `${hashes.length} torrents enriched or settled`,
      async () => {
        const rows = await enrichmentOf(hashes);
        return rows.every((r) => r.enrichment_status !== null) ? rows : null;
      },
      { timeoutMs: 240_000, intervalMs: 500 },
    );

  beforeEach(async () => {
    h = await createHarness({ TMDB_RATE_CAPACITY: '20' });
    tmdb = await startTmdbFake({ port: 0 });
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await tmdb.close();
    await h.close();
  });

  it('matches remakes by year: The Lion King 2019 vs 1994, Dune 2021 vs 1984', async () => {
    const torrents = await h.seed([
      { infoHash: '1'.repeat(40), title: 'The.Lion.King.2019.1080p.BluRay.x264-SPARKS', size: 1 },
      { infoHash: '2'.repeat(40), title: 'The Lion King 1994 REMASTERED 720p BluRay', size: 1 },
      { infoHash: '3'.repeat(40), title: 'Dune.2021.2160p.WEB-DL.DDP5.1.Atmos.x265-FLUX', size: 1 },
      { infoHash: '4'.repeat(40), title: 'Dune (1984) [1080p] [YTS]', size: 1 },
    ]);
    await start(1);
    const hashes = torrents.map((t) => t.infoHash);
    await classify(hashes);
    const rows = await settled(hashes);
    const id = (hash: string) => rows.find((r) => r.info_hash === hash)?.tmdb_id;
    expect(rows.every((r) => r.enrichment_status === 'matched')).toBe(true);
    expect(id('1'.repeat(40))).not.toBe(id('2'.repeat(40)));
    expect(id('3'.repeat(40))).not.toBe(id('4'.repeat(40)));
    expect(id('1'.repeat(40))).toBe(420818);
    expect(id('2'.repeat(40))).toBe(8587);
    expect(id('3'.repeat(40))).toBe(438631);
    expect(id('4'.repeat(40))).toBe(841);
  });

  it('spends at most 20 searches on 200 releases of 20 films, across three replicas', async () => {
    const films: [string, number][] = [
      ['The Matrix', 1999],
      ['Inception', 2010],
      ['Interstellar', 2014],
      ['The Dark Knight', 2008],
      ['Pulp Fiction', 1994],
      ['Fight Club', 1999],
      ['Forrest Gump', 1994],
      ['The Godfather', 1972],
      ['Gladiator', 2000],
      ['Parasite', 2019],
      ['Whiplash', 2014],
      ['Arrival', 2016],
      ['Joker', 2019],
      ['Blade Runner 2049', 2017],
      ['Alien', 1979],
      ['Heat', 1995],
      ['Oppenheimer', 2023],
      ['Get Out', 2017],
      ['Jurassic Park', 1993],
      ['Titanic', 1997],
    ];
    const styles = [
      (t: string, y: number) => `${t.replace(/ /g, '.')}.${y}.1080p.BluRay.x264-SPARKS`,
      (t: string, y: number) => `${t} (${y}) [720p] [YTS]`,
      (t: string, y: number) => `${t.replace(/ /g, '.')}.${y}.2160p.WEB-DL.x265-FLUX`,
      (t: string, y: number) => `${t.replace(/ /g, '_')}_${y}_REPACK_1080p_WEBRip`,
      (t: string, y: number) => `${t.replace(/ /g, '.')}.${y}.PROPER.720p.HDTV.x264-NTb`,
    ];
    const torrents = await h.seed(
      Array.from({ length: 200 }, (_, i) => {
        const [title, year] = films[i % 20]!;
        return {
          infoHash: syntheticInfoHash(`film-release-${i}`),
          title: styles[Math.floor(i / 20) % 5]!(title, year),
          size: 1,
        };
      }),
    );
    await start(3);
    const hashes = torrents.map((t) => t.infoHash);
    await classify(hashes);
    const rows = await settled(hashes);
    expect(rows.filter((r) => r.enrichment_status === 'matched')).toHaveLength(200);
    const searches = tmdb.requests.filter((r) => r.path.startsWith('/3/search/'));
    expect(searches.length).toBeLessThanOrEqual(20);
  });

  it('keeps three replicas within capacity + refill·t TMDB calls in every window, using at least 90% of it', async () => {
    // 200 distinct titles; refill 20/s instead of 2/s keeps the run short, the bound is the same shape.
    const capacity = 20;
    const refill = 20;
    const torrents = await h.seed(
      Array.from({ length: 200 }, (_, i) => ({
        infoHash: syntheticInfoHash(`distinct-title-${i}`),
        title: `Unreleased Film Number ${i + 1} ${1950 + (i % 70)} 1080p BluRay x264-GRP`,
        size: 1,
      })),
    );
    await start(3, { TMDB_RATE_CAPACITY: String(capacity), TMDB_RATE_REFILL_PER_SEC: String(refill) });
    const hashes = torrents.map((t) => t.infoHash);
    await classify(hashes);
    await settled(hashes);
    const { grants, tightest } = await budgetWindows(capacity, refill);
    expect(grants.length).toBeGreaterThanOrEqual(200);
    // Every HTTP request spent a grant; none went around the bucket.
    expect(tmdb.requests.length).toBeLessThanOrEqual(grants.length);
    expect(tightest.count).toBeLessThanOrEqual(tightest.allowed);
    expect(tightest.utilisation).toBeGreaterThanOrEqual(0.9);
  });

  it('gives two releases on one TMDB key (two queue prefixes) one budget: capacity + refill·t across both', async () => {
    const capacity = 20;
    const refill = 20;
    const other = await createHarness();
    try {
      const titles = (tag: string) =>
        Array.from({ length: 100 }, (_, i) => ({
          infoHash: syntheticInfoHash(`${tag}-title-${i}`),
          title: `Unreleased ${tag} Number ${i + 1} ${1950 + (i % 70)} 1080p BluRay x264-GRP`,
          size: 1,
        }));
      const rates = { TMDB_RATE_CAPACITY: String(capacity), TMDB_RATE_REFILL_PER_SEC: String(refill) };
      const mine = (await h.seed(titles('First'))).map((t) => t.infoHash);
      const theirs = (await other.seed(titles('Second'))).map((t) => t.infoHash);
      await start(1, rates);
      const { worker } = await startReadyWorker('enrichment', {
        ...other.env,
        TMDB_BASE_URL: tmdb.baseUrl,
        TMDB_API_KEY: 'minato-dev-key',
        ...rates,
      });
      workers.push(worker);
      await Promise.all([classify(mine), enqueueTorrents(other.queues, 'CLASSIFY', theirs)]);
      await settled(mine);
      await waitFor(
        'the other release to settle',
        async () => {
          const [row] = await other.sql<{ n: number }[]>`
          SELECT count(*)::int AS n FROM torrents WHERE enrichment_status IS NULL`;
          return row?.n === 0;
        },
        { timeoutMs: 240_000, intervalMs: 500 },
      );
      // One ledger holds both releases' grants: one bucket, whatever the prefix.
      const { grants, tightest, arrivals } = await budgetWindows(capacity, refill);
      expect(grants.length).toBeGreaterThanOrEqual(200);
      expect(tmdb.requests.length).toBeLessThanOrEqual(grants.length);
      expect(tightest.count).toBeLessThanOrEqual(tightest.allowed);
      // Two buckets would let the fake see about twice the allowance in its busiest window.
      expect(arrivals.utilisation).toBeLessThan(1.5);
    } finally {
      await other.close();
    }
  });

  it('pauses all three replicas for a 429 Retry-After: 3, with no token granted inside the pause', async () => {
    const torrents = await h.seed(
      Array.from({ length: 40 }, (_, i) => ({
        infoHash: syntheticInfoHash(`paused-title-${i}`),
        title: `Another Unknown Picture ${i + 1} ${1960 + i} 720p WEB-DL`,
        size: 1,
      })),
    );
    await start(3, { TMDB_RATE_REFILL_PER_SEC: '10' });
    const hashes = torrents.map((t) => t.infoHash);
    await classify(hashes);
    await waitFor('a few calls', () => tmdb.requests.length >= 5);
    tmdb.setMode({ mode: '429', retryAfterSeconds: 3, count: 1 });
    await settled(hashes);
    expect(tmdb.requests.filter((r) => r.status === 429)).toHaveLength(1);
    // The pause as the bucket stored it, and every grant, on Redis time: a call granted before the pause may
    // still land after the 429, but no token is granted inside the pause.
    const { grants, pauses } = await bucketOf(20, 10).ledger();
    expect(pauses).toHaveLength(1);
    const [pause] = pauses;
    expect(pause!.untilUs - pause!.fromUs).toBe(3_000_000);
    expect(grants.filter((at) => at >= pause!.fromUs && at < pause!.untilUs)).toEqual([]);
    expect(grants.some((at) => at >= pause!.untilUs)).toBe(true);
    expect(rowsMatchedOrMissed(await enrichmentOf(hashes))).toBe(40);
  });

  it('parks on a bad key instead of failing: the job waits with its attempts intact and the worker keeps running', async () => {
    const [worker] = await start(1, { TMDB_API_KEY: 'wrong-key' });
    const [torrent] = await h.seed([
      { infoHash: '5'.repeat(40), title: 'Inception.2010.1080p.BluRay.x264-SPARKS', size: 1 },
    ]);
    await classify([torrent!.infoHash]);
    // The log line comes when the queue parks; the job is put back in wait just after: wait for both.
    await waitFor('the queue to park', () =>
      /CLASSIFY parked: TMDB rejected the API key/.test(worker!.output()),
    );
    const waiting = await waitFor(
      'the job back in wait',
      async () => (await h.queues.CLASSIFY.getWaiting())[0],
    );
    expect(waiting.attemptsMade).toBe(0);
    expect(await h.queues.CLASSIFY.getFailedCount()).toBe(0);
    expect(worker!.output()).toMatch(/TMDB_API_KEY/);
    expect(worker!.child.exitCode).toBeNull();
  });

  it('retries 500s and timeouts, fails a malformed answer with the validation error, and never crashes', async () => {
    const [a, b, c] = await h.seed([
      { infoHash: '6'.repeat(40), title: 'Gladiator.2000.1080p.BluRay.x264-SPARKS', size: 1 },
      { infoHash: '7'.repeat(40), title: 'Whiplash.2014.1080p.BluRay.x264-SPARKS', size: 1 },
      { infoHash: '8'.repeat(40), title: 'Heat.1995.1080p.BluRay.x264-SPARKS', size: 1 },
    ]);
    const [worker] = await start(1, { TMDB_TIMEOUT_MS: '1000' });
    // A 500, then a slow answer past the timeout: both retried with backoff, then matched.
    tmdb.setMode({ mode: '500', count: 1 });
    await classify([a!.infoHash]);
    await waitFor(
      'Gladiator matched after a 500',
      async () => (await enrichmentOf([a!.infoHash]))[0]?.enrichment_status === 'matched',
      { timeoutMs: 60_000 },
    );
    tmdb.setMode({ mode: 'slow', delayMs: 3_000, count: 1 });
    await classify([b!.infoHash]);
    await waitFor(
      'Whiplash matched after a timeout',
      async () => (await enrichmentOf([b!.infoHash]))[0]?.enrichment_status === 'matched',
      { timeoutMs: 60_000 },
    );
    tmdb.setMode({ mode: 'garbage', count: 10 });
    await classify([c!.infoHash]);
    const failed = await waitFor(
      'the malformed answer to fail the job',
      async () => (await h.queues.CLASSIFY.getFailed())[0] ?? null,
      { timeoutMs: 60_000 },
    );
    expect(failed.failedReason).toMatch(/TMDB .*search\/movie/i);
    expect(worker!.child.exitCode).toBeNull();
  });
});

function rowsMatchedOrMissed(rows: { enrichment_status: string | null }[]): number {
  return rows.filter((r) => r.enrichment_status === 'matched' || r.enrichment_status === 'no_match').length;
}
