import { appendFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
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
  /** the feed's run: from the COPY's commit to the first and the last of its notifications heard by the bench */
  heardMs?: { first: number; last: number; notifications: number };
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
  // BENCH_FEED_PART=latency or =copy runs one half (each takes minutes on a loaded machine).
  const part = process.env.BENCH_FEED_PART;
  const blocks: string[] = [];
  if (part !== 'copy') {
    const load = loadAverage();
    const latency = await singleInserts(singles, 'feed');
    const reference = await singleInserts(singles, 'enqueue');
    blocks.push(renderLatency({ latency, reference }, singles, `${load} → ${loadAverage()}`));
  }
  if (part !== 'latency') {
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
    const load = loadAverage();
    const first = feedFirst ? await bulkRun(copied, 'feed') : await bulkRun(torrents, 'enqueue');
    const second = feedFirst ? await bulkRun(torrents, 'enqueue') : await bulkRun(copied, 'feed');
    const [fed, enqueued] = feedFirst ? [first, second] : [second, first];
    blocks.push(renderCopy(n, fed, enqueued, `${load} → ${loadAverage()}`));
  }
  return { markdown: section('Feed: rows a crawler only writes', ...blocks), rss: [] };
}

/** The 1-minute load average, which on a shared machine says how much of a figure is the machine's. */
function loadAverage(): string {
  return loadavg()[0]!.toFixed(1);
}

interface Latencies {
  acknowledged: number[];
  searchable: number[];
  /** where the time went, per torrent, from BullMQ's own stamps on its pass-1 job */
  stages: Stages;
}

/** Milliseconds per torrent: stamp → job added, added → taken by the worker, taken → completed. */
interface Stages {
  toAdded: number[];
  waiting: number[];
  running: number[];
  /** the job's completion → the torrent first found by a search (negative when it was found first) */
  toSearchable: number[];
}

/**
 * Reads each tracked torrent's pass-1 job (kept as completed for an hour) and splits its latency at BullMQ's
 * stamps: added (the feed's listener heard the COMMIT and enqueued, or the crawler's own enqueue), processedOn
 * (the worker took it) and finishedOn (Elasticsearch acknowledged, `indexed_version` set, hand-off done).
 */
async function stagesOf(
  h: Harness,
  stampedAt: Map<string, number>,
  searchable: Map<string, number>,
): Promise<Stages> {
  const jobs = await h.queues.TORRENT_INGEST.getJobs(['completed'], 0, -1);
  const stages: Stages = { toAdded: [], waiting: [], running: [], toSearchable: [] };
  const trace: { at: number; [stamp: string]: number | undefined }[] = [];
  for (const job of jobs) {
    const data = job.data as { infoHash?: string };
    const at = data.infoHash === undefined ? undefined : stampedAt.get(data.infoHash);
    if (at === undefined || job.processedOn === undefined || job.finishedOn === undefined) continue;
    stages.toAdded.push(job.timestamp - at);
    stages.waiting.push(job.processedOn - job.timestamp);
    stages.running.push(job.finishedOn - job.processedOn);
    const found = searchable.get(data.infoHash!);
    if (found !== undefined) stages.toSearchable.push(at + found - job.finishedOn);
    trace.push({
      at,
      added: job.timestamp - at,
      taken: job.processedOn - at,
      completed: job.finishedOn - at,
      searchable: found,
    });
  }
  // BENCH_FEED_TRACE=<file>: every torrent's stamps, in ms from its INSERT, one JSON line each, in INSERT order.
  const file = process.env.BENCH_FEED_TRACE;
  if (file) {
    const lines = trace.sort((a, b) => a.at - b.at).map((t) => JSON.stringify(t));
    await appendFile(file, lines.join('\n') + '\n');
  }
  return stages;
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
    const stampedAt = new Map<string, number>();
    for (const [i, t] of torrents.entries()) {
      await pace(Math.max(0, started + i * INSERT_SPACING_MS - Date.now()));
      // Stamped before the INSERT: its COMMIT (autocommit) is inside the measured time, so the figure errs long.
      const at = Date.now();
      await h.sql`INSERT INTO torrents (info_hash, title, size) VALUES (${t.infoHash}, ${t.title}, ${t.size})`;
      if (mode === 'enqueue') await enqueueTorrents(h.queues, 'TORRENT_INGEST', [t.infoHash]);
      if (i >= 5) {
        tracker.track(t.infoHash, at);
        stampedAt.set(t.infoHash, at);
      }
    }
    await tracker.settle(120_000);
    const results = tracker.results();
    return { ...results, stages: await stagesOf(h, stampedAt, tracker.searchableByHash()) };
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
    // The bench listens beside the worker: how long the notifications of a big COPY take to arrive after its
    // commit, before any job can be added.
    const heard = { first: 0, last: 0, notifications: 0 };
    const [{ channel }] = await h.sql<[{ channel: string }]>`
      SELECT torrents_feed_channel(current_schema()) AS channel`;
    const listening =
      mode === 'feed'
        ? await h.sql.listen(channel, () => {
            heard.last = Date.now();
            heard.first ||= heard.last;
            heard.notifications++;
          })
        : undefined;
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
        ...(listening
          ? {
              heardMs: {
                first: heard.first - started,
                last: heard.last - started,
                notifications: heard.notifications,
              },
            }
          : {}),
      };
    } finally {
      await listening?.unlisten();
      await stopBenchWorker(worker);
    }
  } finally {
    await h.close();
  }
}

function renderLatency(
  { latency, reference }: { latency: Latencies; reference: Latencies },
  singles: number,
  load: string,
): string {
  const row = (label: string, samples: number[]) => {
    const s = summarize(samples);
    return [label, String(s.n), duration(s.p50), duration(s.p99), duration(s.max)];
  };
  const stageRows = (label: string, stages: Stages) => [
    row(`${label}: stamp → job added`, stages.toAdded),
    row(`${label}: added → taken by the worker`, stages.waiting),
    row(`${label}: taken → completed`, stages.running),
    row(`${label}: completed → searchable`, stages.toSearchable),
  ];
  const p99 = summarize(latency.searchable).p99;
  return [
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
      `${singles} rows after 5 of warm-up, each stamped before its INSERT; load average ${load}.`,
    table(
      ['where the time went (BullMQ stamps)', 'n', 'p50', 'p99', 'max'],
      [...stageRows('feed', latency.stages), ...stageRows('reference', reference.stages)],
    ),
  ].join('\n\n');
}

function renderCopy(n: number, fed: BulkRun, enqueued: BulkRun, load: string): string {
  const rate = (run: BulkRun) => (1000 * n) / run.searchableMs;
  const ratio = rate(fed) / rate(enqueued);
  return [
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
      'of the enqueue; each run has one ingest worker, its own schema, index and queue prefix, and the same rows; ' +
      `load average ${load}.` +
      (fed.heardMs
        ? ` The feed's ${num(fed.heardMs.notifications)} notifications reached a listener ` +
          `${duration(fed.heardMs.first)} to ${duration(fed.heardMs.last)} after the COPY's commit.`
        : ''),
  ].join('\n\n');
}
