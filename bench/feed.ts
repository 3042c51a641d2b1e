import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { enqueuePending, enqueueTorrents, syntheticTorrents, type NewTorrent } from '@minato/core';
import type { Harness } from '../test/support/pipeline-harness.js';
import { LatencyTracker } from './latency-tracker.js';
import { openHarness } from './harness.js';
import { CORPUS_SEED, scaled, type BenchOptions } from './options.js';
import { pace, progress } from './progress.js';
import { watchCompletion } from './progress-watch.js';
import { duration, num, section, summarize, table, type PartResult } from './report.js';
import { startBenchWorker, stopBenchWorker } from './workers.js';

const INSERT_SPACING_MS = 20;

interface BulkRun {
  copyMs: number;
  /** from the COPY's commit (feed) or the start of the enqueue (enqueue --all) to every document searchable */
  searchableMs: number;
  acknowledgedMs: number;
}

/**
 * The feed (docs/feed.md): single rows INSERTed at 50/s, COMMIT → searchable p50/p99; and a COPY of N rows with
 * no job enqueued against `minato enqueue ingest --all` (`enqueuePending`, what the command runs) on the same
 * rows in the same run, each in a schema, index and queue prefix of its own with one ingest worker.
 */
export async function runFeed(options: BenchOptions): Promise<PartResult> {
  const singles = scaled(options, 500, 100);
  const n = options.count ?? scaled(options, 100_000, 10_000);
  const latency = await singleInserts(singles, 'feed');
  const reference = await singleInserts(singles, 'enqueue');
  // BENCH_FEED_SORTED=1 COPYs the feed's rows in info-hash order, the order `enqueue --all` sends them in
  // (BENCHMARKS.md, Feed: what the order costs Elasticsearch).
  const torrents = syntheticTorrents(n, CORPUS_SEED + 7);
  const copied =
    process.env.BENCH_FEED_SORTED === '1'
      ? [...torrents].sort((a, b) => (a.infoHash < b.infoHash ? -1 : 1))
      : torrents;
  // The order alternates with the run (BENCH_FEED_FIRST=1 puts the feed first): on a shared machine the load
  // drifts during a run, and a fixed order would give that drift to one side.
  const feedFirst = process.env.BENCH_FEED_FIRST === '1';
  const first = feedFirst ? await bulkRun(copied, 'feed') : await bulkRun(torrents, 'enqueue');
  const second = feedFirst ? await bulkRun(torrents, 'enqueue') : await bulkRun(copied, 'feed');
  const [fed, enqueued] = feedFirst ? [first, second] : [second, first];
  return { markdown: render({ latency, reference }, singles, n, fed, enqueued), rss: [] };
}

interface Latencies {
  acknowledged: number[];
  searchable: number[];
}

/** Single rows at 50/s: announced by the feed, or (the reference) each followed by its live job, as crawlers do today. */
async function singleInserts(count: number, mode: 'feed' | 'enqueue'): Promise<Latencies> {
  const h = await openHarness({ LOG_LEVEL: 'warn', FEED: mode === 'feed' ? 'notify' : 'off' });
  const worker = await startBenchWorker('ingest', h.env);
  try {
    const torrents = syntheticTorrents(count + 5, CORPUS_SEED + 6);
    const tracker = new LatencyTracker({ sql: h.sql, search: h.search, alias: h.config.ELASTICSEARCH_INDEX });
    progress(`${mode}: ${count} single-row INSERTs, one every ${INSERT_SPACING_MS} ms`);
    const started = Date.now();
    for (const [i, t] of torrents.entries()) {
      await pace(Math.max(0, started + i * INSERT_SPACING_MS - Date.now()));
      // Stamped before the INSERT: its COMMIT (autocommit) is inside the measured time, so the figure errs long.
      const at = Date.now();
      await h.sql`INSERT INTO torrents (info_hash, title, size) VALUES (${t.infoHash}, ${t.title}, ${t.size})`;
      if (mode === 'enqueue') await enqueueTorrents(h.queues, 'TORRENT_INGEST', [t.infoHash]);
      if (i >= 5) tracker.track(t.infoHash, at);
    }
    await tracker.settle(120_000);
    return tracker.results();
  } finally {
    await stopBenchWorker(worker);
    await h.close();
  }
}

async function copyRows(h: Harness, torrents: readonly NewTorrent[]): Promise<void> {
  const writable = await h.sql`COPY torrents (info_hash, title, size) FROM STDIN`.writable();
  const lines = function* () {
    for (let i = 0; i < torrents.length; i += 1_000)
      yield torrents
        .slice(i, i + 1_000)
        .map((t) => `${t.infoHash}\t${t.title.replace(/[\\\t\n]/g, ' ')}\t${t.size}\n`)
        .join('');
  };
  await pipeline(Readable.from(lines()), writable);
}

async function bulkRun(torrents: readonly NewTorrent[], mode: 'feed' | 'enqueue'): Promise<BulkRun> {
  const h = await openHarness({ LOG_LEVEL: 'warn', FEED: mode === 'feed' ? 'notify' : 'off' });
  try {
    // The enqueue run's rows are there before its worker starts; the feed's worker listens before the COPY.
    let copyMs = 0;
    const copy = async () => {
      progress(`${mode}: COPY of ${torrents.length} rows`);
      const at = Date.now();
      await copyRows(h, torrents);
      copyMs = Date.now() - at;
    };
    if (mode === 'enqueue') await copy();
    const worker = await startBenchWorker('ingest', h.env);
    try {
      if (mode === 'feed') await copy();
      const started = Date.now();
      if (mode === 'enqueue')
        await enqueuePending({ repository: h.repository, queues: h.queues, pass: 'ingest' });
      const done = await watchCompletion(
        { sql: h.sql, search: h.search, alias: h.config.ELASTICSEARCH_INDEX },
        torrents.length,
        { timeoutMs: 3_600_000, label: mode },
      );
      return {
        copyMs,
        searchableMs: done.searchableAt - started,
        acknowledgedMs: done.acknowledgedAt - started,
      };
    } finally {
      await stopBenchWorker(worker);
    }
  } finally {
    await h.close();
  }
}

function render(
  { latency, reference }: { latency: Latencies; reference: Latencies },
  singles: number,
  n: number,
  fed: BulkRun,
  enqueued: BulkRun,
): string {
  const row = (label: string, samples: number[]) => {
    const s = summarize(samples);
    return [label, String(s.n), duration(s.p50), duration(s.p99), duration(s.max)];
  };
  const p99 = summarize(latency.searchable).p99;
  const rate = (run: BulkRun) => (1000 * n) / run.searchableMs;
  const ratio = rate(fed) / rate(enqueued);
  return section(
    'Feed: rows a crawler only writes',
    table(
      ['single-row INSERTs, 50/s, no job enqueued', 'n', 'p50', 'p99', 'max'],
      [
        row('feed: INSERT (autocommit) → acknowledged', latency.acknowledged),
        row('feed: INSERT (autocommit) → searchable', latency.searchable),
        row('reference: INSERT, then its live job → acknowledged', reference.acknowledged),
        row('reference: INSERT, then its live job → searchable', reference.searchable),
      ],
    ),
    `**COMMIT → searchable p99: ${duration(p99)}** (target ≤ 2 s: ${p99 <= 2_000 ? 'met' : 'missed'}; ` +
      `the enqueued live torrent, in the same run: ${duration(summarize(reference.searchable).p99)}), ` +
      `${singles} rows after 5 of warm-up, each stamped before its INSERT.`,
    table(
      ['path', 'rows', 'COPY', 'to acknowledged', 'to searchable', 'torrents/s'],
      [
        [
          'COPY, no job enqueued (feed)',
          num(n),
          duration(fed.copyMs),
          duration(fed.acknowledgedMs),
          duration(fed.searchableMs),
          num(rate(fed)),
        ],
        [
          '`enqueue ingest --all` on rows already there',
          num(n),
          duration(enqueued.copyMs),
          duration(enqueued.acknowledgedMs),
          duration(enqueued.searchableMs),
          num(rate(enqueued)),
        ],
      ],
    ),
    `**Feed / enqueue --all: ${ratio.toFixed(2)}** (target ≥ 0.8 at 1,000,000 rows${n === 1_000_000 ? `: ${ratio >= 0.8 ? 'met' : 'missed'}` : `; this run has ${num(n)}`}). ` +
      "The feed is timed from the COPY's commit (its notifications leave then), `enqueue --all` from the start " +
      'of the enqueue; each run has one ingest worker, its own schema, index and queue prefix, and the same rows.',
  );
}
