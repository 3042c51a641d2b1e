// `make bench-scale` (`--n=N`, default 1,000,000): the pipeline at the size of a real index. Seeds N rows in a
// schema of its own, runs bulk pass 1 (`enqueue ingest --all`) with live probes during the backlog, the
// reconciler's idle pass, searches at N documents, then passes 2 and 3 on the synthetic title mix, and prints a
// markdown report on stdout (progress on stderr). Point it at a Redis and an Elasticsearch of its own (README,
// "Benchmarks at scale"): a million documents need more heap than the shared node has. Whatever N, the titles stay
// bounded: the synthetic mix draws from fixed lists (71 distinct lookup keys), the search corpus adds 313 and the
// live probes reuse one film, so pass 2 needs about 190 s of TMDB's 2 calls/s and is cache hits after that.
import {
  CheckpointRepository,
  enqueuePending,
  enqueueTorrents,
  reconcileChanges,
  searchTorrents,
  syntheticTorrents,
  torrentBacklog,
  type ReconcileChangesSummary,
} from '@minato/core';
import { labelledQueries, relevanceTorrents } from '../test/support/search-relevance.js';
import type { Harness } from '../test/support/pipeline-harness.js';
import { openHarness } from './harness.js';
import { cleanUpOnSignals } from './interrupt.js';
import { LatencyTracker } from './latency-tracker.js';
import { CORPUS_SEED } from './options.js';
import { pace, progress } from './progress.js';
import { allAcknowledged, visibleCount } from './progress-watch.js';
import { duration, mib, num, section, summarize, table } from './report.js';
import { startTmdbFakeProcess } from './tmdb-fake-process.js';
import { RssSampler, type RssPeak } from './worker-metrics.js';
import { startBenchWorker, stopBenchWorker, type BenchWorker } from './workers.js';

const SEED_CHUNK = 10_000;
const PROBE_SPACING_MS = 250;
const SEARCH_ROUNDS = 3;
const SEARCHES_UNDER_LOAD = 20;

interface Pass1 {
  enqueueMs: number;
  acknowledgedMs: number;
  searchableMs: number;
  redisPeakBytes: number;
  probes: number[];
  probesAcknowledged: number[];
}

async function main(): Promise<void> {
  cleanUpOnSignals();
  const args = process.argv.slice(2);
  const n = Number(args.find((a) => a.startsWith('--n='))?.slice(4) ?? 1_000_000);
  const enrichLimitS = Number(args.find((a) => a.startsWith('--enrich-limit-s='))?.slice(17) ?? 900);
  const h = await openHarness({ LOG_LEVEL: 'warn' });
  const rss: RssPeak[] = [];
  try {
    const seedMs = await seed(h, n);
    const storage = await storagePerMillion(h, n, false);
    const ingest = await startBenchWorker('ingest', h.env);
    let pass1: Pass1;
    try {
      const sampler = new RssSampler(`bulk pass 1, ${num(n)} torrents`, [ingest]);
      await sampler.start();
      pass1 = await bulkPass1(h, ingest, n);
      rss.push(...(await sampler.stop()));
    } finally {
      await stopBenchWorker(ingest);
    }
    const reconciler = await reconcilerPasses(h);
    const searchIdle = await searchLatency(h);
    const indexed = await storagePerMillion(h, n, true);
    const enrichment = await passes2And3(h, enrichLimitS);
    rss.push(...enrichment.rss);
    process.stdout.write(
      render(n, seedMs, pass1, reconciler, searchIdle, enrichment, { ...storage, ...indexed }, rss),
    );
  } finally {
    await h.close();
  }
}

async function seed(h: Harness, n: number): Promise<number> {
  progress(`seeding ${num(n)} torrents`);
  const started = Date.now();
  await h.seed(relevanceTorrents());
  for (let done = 0; done < n; done += SEED_CHUNK) {
    await h.repository.insert(syntheticTorrents(Math.min(SEED_CHUNK, n - done), CORPUS_SEED + done));
    if (done % 100_000 === 0) progress(`seeded ${num(done)}`);
  }
  return Date.now() - started;
}

/** `enqueue ingest --all` into one ingest worker, with a live torrent enqueued every 250 ms until it drains. */
async function bulkPass1(h: Harness, worker: BenchWorker, n: number): Promise<Pass1> {
  const total = (await h.repository.counts()).torrents;
  const tracker = new LatencyTracker(
    { sql: h.sql, search: h.search, alias: h.config.ELASTICSEARCH_INDEX },
    100,
  );
  progress(`pass 1: enqueue ingest --all over ${num(total)} rows`);
  const started = Date.now();
  await enqueuePending({ repository: h.repository, queues: h.queues, pass: 'ingest' });
  const enqueueMs = Date.now() - started;
  const redisPeakBytes = Number(/used_memory:(\d+)/.exec(await h.redis.info('memory'))?.[1] ?? 0);
  let acknowledgedMs = 0;
  let probe = 0;
  const probes: string[] = [];
  while (!acknowledgedMs) {
    await pace(PROBE_SPACING_MS);
    if (worker.process.child.exitCode !== null)
      throw new Error(`ingest worker exited:\n${worker.process.output()}`);
    const [row] = await h.repository.insert([
      {
        infoHash: (n + probe).toString(16).padStart(40, 'f'),
        // A film of the synthetic mix: a probe with a title of its own would cost pass 2 one TMDB lookup each, and
        // live jobs go first, so a thousand probes would hold the bulk backlog for minutes at 2 calls/s.
        title: `The.Matrix.1999.1080p.WEB-DL.x264-PROBE${probe}`,
        size: 1,
      },
    ]);
    probe++;
    if (row) {
      probes.push(row);
      const enqueuedAt = Date.now();
      await enqueueTorrents(h.queues, 'TORRENT_INGEST', [row]);
      tracker.track(row, enqueuedAt);
    }
    if (probe % 40 === 0) {
      const left = await torrentBacklog(h.queues.TORRENT_INGEST);
      progress(`pass 1: ${num(left.torrents)} torrents left in TORRENT_INGEST`);
    }
    // Done when no bulk job waits (Redis answers at once) and every row but the probes is acknowledged: the probe
    // just enqueued cannot be yet, and the tracker waits for the probes itself.
    if ((await h.queues.TORRENT_INGEST.getPrioritizedCount()) > 0) continue;
    if (await allAcknowledged(h.sql, probes)) acknowledgedMs = Date.now() - started;
  }
  await tracker.settle(120_000);
  let searchableMs = 0;
  while (!searchableMs) {
    if ((await visibleCount(h.search, h.config.ELASTICSEARCH_INDEX)) >= total)
      searchableMs = Date.now() - started;
    else await pace(100);
  }
  const { searchable, acknowledged } = tracker.results();
  return {
    enqueueMs,
    acknowledgedMs,
    searchableMs,
    redisPeakBytes,
    probes: searchable,
    probesAcknowledged: acknowledged,
  };
}

async function reconcilerPasses(h: Harness): Promise<ReconcileChangesSummary[]> {
  const pass = () =>
    reconcileChanges({
      repository: h.repository,
      search: h.search,
      index: h.config.ELASTICSEARCH_INDEX,
      queues: h.queues,
      checkpoints: new CheckpointRepository(h.sql),
      graceMs: 0,
    });
  progress('reconciler: first pass (the full comparison), then idle passes');
  return [await pass(), await pass(), await pass()];
}

/** Timed searches: `rounds` over the first `limit` labelled queries, after one untimed round of them. */
async function searchLatency(h: Harness, rounds = SEARCH_ROUNDS, limit = Infinity): Promise<number[]> {
  const queries = labelledQueries()
    .slice(0, limit)
    .map((q) => q.text);
  const took: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    for (const text of queries) {
      const started = performance.now();
      await searchTorrents(h.search, h.config.ELASTICSEARCH_INDEX, text, 10);
      if (round > 0) took.push(performance.now() - started);
    }
  }
  return took;
}

async function storagePerMillion(h: Harness, n: number, indexed: boolean): Promise<Record<string, number>> {
  const [pg] = await h.sql<{ bytes: number }[]>`SELECT pg_total_relation_size('torrents')::bigint AS bytes`;
  if (!indexed) return { postgres: ((pg?.bytes ?? 0) * 1e6) / n };
  const index = h.config.ELASTICSEARCH_INDEX;
  await h.rest.request('POST', `/${index}/_forcemerge?max_num_segments=1`).catch(() => undefined);
  const stats = await h.rest.request<{ _all: { primaries?: { store?: { size_in_bytes?: number } } } }>(
    'GET',
    `/${index}/_stats/store`,
  );
  return {
    postgresIndexed: ((pg?.bytes ?? 0) * 1e6) / n,
    elasticsearch: ((stats._all.primaries?.store?.size_in_bytes ?? 0) * 1e6) / n,
  };
}

interface Enrichment {
  enriched: number;
  synced: number;
  ms: number;
  tmdbCalls: number;
  searchUnderLoad: number[];
  rss: RssPeak[];
}

/** Passes 2 and 3 on the CLASSIFY backlog pass 1 left, against the TMDB fake, for at most `limitS` seconds. */
async function passes2And3(h: Harness, limitS: number): Promise<Enrichment> {
  const tmdb = await startTmdbFakeProcess();
  // The fake's key: another one is refused with a 401, which parks the enrichment worker for the whole run.
  const env = { ...h.env, TMDB_BASE_URL: tmdb.baseUrl, TMDB_API_KEY: 'minato-dev-key' };
  const workers = [
    await startBenchWorker('enrichment', env),
    await startBenchWorker('sync', { ...env, RECONCILE_EVERY_MS: '0' }),
  ];
  const sampler = new RssSampler('passes 2 and 3', workers);
  await sampler.start();
  const started = Date.now();
  const counts = async () => {
    const [row] = await h.sql<{ enriched: number; synced: number }[]>`
      SELECT count(*) FILTER (WHERE enriched_at IS NOT NULL)::int AS enriched,
             count(*) FILTER (WHERE enriched_at IS NOT NULL AND indexed_version = version)::int AS synced FROM torrents`;
    return row ?? { enriched: 0, synced: 0 };
  };
  const searchUnderLoad: number[] = [];
  let last = { enriched: 0, synced: 0 };
  try {
    for (;;) {
      // A sample each round: the whole query set (1,800 searches) would load Elasticsearch more than pass 3 does.
      searchUnderLoad.push(...(await searchLatency(h, 1, SEARCHES_UNDER_LOAD)));
      last = await counts();
      const backlog = (
        await Promise.all(
          [h.queues.CLASSIFY, h.queues.ES_SYNC].map((q) =>
            q.getJobCounts('wait', 'prioritized', 'active', 'delayed'),
          ),
        )
      )
        .flatMap((c) => Object.values(c))
        .reduce((a, b) => a + b, 0);
      progress(
        `passes 2 and 3: ${num(last.enriched)} enriched, ${num(last.synced)} synced, ${backlog} jobs left`,
      );
      if (backlog === 0 || Date.now() - started > limitS * 1000) break;
      await pace(5_000);
    }
    return {
      ...last,
      ms: Date.now() - started,
      tmdbCalls: (await tmdb.requests()).length,
      searchUnderLoad,
      rss: await sampler.stop(),
    };
  } finally {
    await Promise.all(workers.map((w) => stopBenchWorker(w)));
    await tmdb.stop();
  }
}

function render(
  n: number,
  seedMs: number,
  pass1: Pass1,
  reconciler: ReconcileChangesSummary[],
  searchIdle: number[],
  enrichment: Enrichment,
  storage: Record<string, number>,
  rss: RssPeak[],
): string {
  const probes = summarize(pass1.probes);
  const probesAcknowledged = summarize(pass1.probesAcknowledged);
  const idle = summarize(searchIdle);
  const busy = summarize(enrichment.searchUnderLoad);
  const rate = (count: number, ms: number) => `${num((1000 * count) / Math.max(1, ms))}/s`;
  return `${section(
    `Scale: ${num(n)} torrents`,
    table(
      ['figure', 'measured'],
      [
        ['seed (synthetic rows, 10,000 a statement)', `${duration(seedMs)} (${rate(n, seedMs)})`],
        [
          '`enqueue ingest --all` (bulk jobs of 500)',
          `${duration(pass1.enqueueMs)} (${rate(n, pass1.enqueueMs)})`,
        ],
        [
          'bulk pass 1, enqueue → all acknowledged',
          `${duration(pass1.acknowledgedMs)} (${rate(n, pass1.acknowledgedMs)})`,
        ],
        [
          'bulk pass 1, enqueue → all searchable',
          `${duration(pass1.searchableMs)} (${rate(n, pass1.searchableMs)})`,
        ],
        [
          `live probes during the backlog (${probes.n}, one every ${PROBE_SPACING_MS} ms), enqueue → searchable`,
          `p50 ${duration(probes.p50)}, p99 ${duration(probes.p99)}, max ${duration(probes.max)} ` +
            `(until acknowledged: p50 ${duration(probesAcknowledged.p50)}, p99 ${duration(probesAcknowledged.p99)})`,
        ],
        ['Redis memory at peak backlog (`used_memory` right after the enqueue)', mib(pass1.redisPeakBytes)],
        ...reconciler.map((r, i) => [
          i === 0 ? 'reconciler, first pass (full comparison)' : `reconciler, idle pass ${i}`,
          `${duration(r.ms)}, scanned ${num(r.scanned)}`,
        ]),
        [
          `search, ${searchIdle.length} queries at ${num(n)} documents, idle`,
          `p50 ${duration(idle.p50)}, p99 ${duration(idle.p99)}`,
        ],
        ['search under passes 2 and 3', `p50 ${duration(busy.p50)}, p99 ${duration(busy.p99)}`],
        [
          'passes 2 and 3 (one enrichment, one sync worker, TMDB fake)',
          `${num(enrichment.enriched)} enriched and ${num(enrichment.synced)} synced in ${duration(enrichment.ms)} ` +
            `(${rate(enrichment.enriched, enrichment.ms)}), ${num(enrichment.tmdbCalls)} TMDB calls`,
        ],
        [
          'PostgreSQL per million torrents (table + indexes), before / after the passes',
          `${mib(storage.postgres ?? 0)} / ${mib(storage.postgresIndexed ?? 0)}`,
        ],
        [
          'Elasticsearch per million torrents (primary store, after a force-merge)',
          mib(storage.elasticsearch ?? 0),
        ],
        ...rss.map((r) => [
          `peak RSS, ${r.worker} (${r.phase})`,
          `${mib(r.peakBytes)} (idle ${mib(r.idleBytes)})`,
        ]),
      ],
    ),
  )}\n`;
}

main().catch((error: unknown) => {
  progress(`bench-scale aborted: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
