import {
  buildTorrentDocument,
  concreteIndexName,
  enqueueBulk,
  ensureIndex,
  normalizeTitle,
  parseRelease,
  templateName,
} from '@minato/core';
import type { Harness } from '../test/support/pipeline-harness.js';
import { measureBullmqFloor, type FloorResult } from './bullmq-floor.js';
import { openHarness } from './harness.js';
import { onInterrupt } from './interrupt.js';
import { CORPUS_SEED, scaled, type BenchOptions } from './options.js';
import { progress } from './progress.js';
import { watchCompletion } from './progress-watch.js';
import { duration, num, section, table, type PartResult } from './report.js';
import { usageSnapshot, usageTable } from './usage-meter.js';
import { metricValue, RssSampler, scrapeMetrics } from './worker-metrics.js';
import { startBenchWorker, stopBenchWorker } from './workers.js';

const RAW_BATCH = 500;
const RAW_ROUNDS = 3;
// Both runs are watched at the same resolution, so neither gains from the polling.
const POLL_MS = 100;

interface RawResult {
  docs: number;
  bulkMs: number;
  searchableMs: number;
  bulks: number;
  usage: string;
  /** every round's time to searchable */
  roundsMs: number[];
}

interface PipelineResult {
  torrents: number;
  enqueueMs: number;
  acknowledgedMs: number;
  searchableMs: number;
  flushes: number;
  flushSeconds: number;
  usage: string;
  rssPeak: PartResult['rss'];
}

/**
 * Pass-1 throughput: N torrents from PostgreSQL to searchable through one ingest worker as bulk jobs (what
 * `minato enqueue ingest --all` sends), beside the same documents sent straight to `_bulk` in ideal batches of
 * 500 (target ≥ 0.8 of raw). `--n=200000` sets N.
 */
export async function runPass1Throughput(options: BenchOptions): Promise<PartResult> {
  const count = options.count ?? scaled(options, 20_000, 3_000);
  const h = await openHarness({ LOG_LEVEL: 'warn' });
  try {
    progress(`pass-1 throughput: seeding ${count} torrents`);
    const hashes = (await h.seed(count, CORPUS_SEED)).map((t) => t.infoHash);
    const raw = await rawBulk(h, hashes);
    const env = options.ingestEnv ?? {};
    const pipeline = await throughPipeline(h, hashes, env, options.profileDir);
    const concurrency = Number(env.INGEST_CONCURRENCY ?? h.config.INGEST_CONCURRENCY);
    const floor = await measureBullmqFloor(h, count, concurrency);
    return { markdown: render(raw, pipeline, floor, env), rss: pipeline.rssPeak };
  } finally {
    await h.close();
  }
}

/**
 * The same documents the worker would build, sent with ideal batches into a fresh index of the template,
 * three times (each into its own index): a round takes seconds, so one hiccup of the shared
 * Elasticsearch would swing a single measurement; the median round is the reference.
 */
async function rawBulk(h: Harness, hashes: string[]): Promise<RawResult> {
  progress('raw _bulk: building documents');
  const operations: object[][] = [];
  for (let i = 0; i < hashes.length; i += RAW_BATCH) {
    const rows = await h.repository.findMany(hashes.slice(i, i + RAW_BATCH));
    operations.push(
      rows.flatMap((row) => [
        { index: { _id: row.infoHash, version: row.version, version_type: 'external' } },
        buildTorrentDocument(row, parseRelease(row.title), normalizeTitle(row.title)),
      ]),
    );
  }
  const rounds: RawRound[] = [];
  for (let round = 1; round <= RAW_ROUNDS; round++) {
    rounds.push(await rawRound(h, `${h.config.ELASTICSEARCH_INDEX}-raw${round}`, operations, hashes.length));
  }
  const byRate = [...rounds].sort((a, b) => a.searchableMs - b.searchableMs);
  const median = byRate[Math.floor(byRate.length / 2)]!;
  return {
    ...median,
    docs: hashes.length,
    bulks: operations.length,
    roundsMs: rounds.map((r) => r.searchableMs),
  };
}

interface RawRound {
  bulkMs: number;
  searchableMs: number;
  usage: string;
}

async function rawRound(h: Harness, alias: string, operations: object[][], docs: number): Promise<RawRound> {
  const dropRawIndex = async () => {
    await h.search.indices.delete({ index: concreteIndexName(alias) }).catch(() => undefined);
    await h.search.indices.deleteIndexTemplate({ name: templateName(alias) }).catch(() => undefined);
  };
  const unregister = onInterrupt(dropRawIndex);
  await ensureIndex(h.search, alias);
  try {
    progress(`raw _bulk into ${alias}: ${operations.length} bulks of ${RAW_BATCH}`);
    const before = await usageSnapshot(h);
    const started = Date.now();
    for (const batch of operations) {
      const response = await h.search.bulk({ index: alias, operations: batch, refresh: false });
      const failed = response.items.find((item) => item.index?.error);
      if (response.errors) throw new Error(`raw _bulk item failed: ${JSON.stringify(failed?.index?.error)}`);
    }
    const bulkDone = Date.now();
    const { searchableAt } = await watchCompletion({ search: h.search, alias }, docs, {
      timeoutMs: 120_000,
      label: 'raw _bulk',
      intervalMs: POLL_MS,
    });
    const after = await usageSnapshot(h);
    return {
      bulkMs: bulkDone - started,
      searchableMs: searchableAt - started,
      usage: usageTable(before, after, docs, 'document'),
    };
  } finally {
    unregister();
    await dropRawIndex();
  }
}

/** One ingest worker, every torrent enqueued at once, timed until all are searchable. */
async function throughPipeline(
  h: Harness,
  hashes: string[],
  env: Record<string, string>,
  profileDir: string | undefined,
): Promise<PipelineResult> {
  const worker = await startBenchWorker('ingest', { ...h.env, ...env }, { profileDir });
  try {
    const targets = [worker];
    const sampler = new RssSampler(`pass 1, ${num(hashes.length)} enqueued at once`, targets);
    await sampler.start();
    const before = await usageSnapshot(h, targets);
    const flushesBefore = await scrapeMetrics(worker.port);
    progress(`pipeline: enqueueing ${hashes.length} torrents as bulk jobs`);
    const started = Date.now();
    await enqueueBulk(h.queues, 'TORRENT_INGEST', hashes);
    const enqueued = Date.now();
    const done = await watchCompletion(
      { sql: h.sql, search: h.search, alias: h.config.ELASTICSEARCH_INDEX },
      hashes.length,
      { timeoutMs: 600_000, label: 'pipeline', intervalMs: POLL_MS },
    );
    const after = await usageSnapshot(h, targets);
    const flushesAfter = await scrapeMetrics(worker.port);
    const rssPeak = await sampler.stop();
    const flush = (name: string) => metricValue(flushesAfter, name) - metricValue(flushesBefore, name);
    return {
      torrents: hashes.length,
      enqueueMs: enqueued - started,
      acknowledgedMs: done.acknowledgedAt - started,
      searchableMs: done.searchableAt - started,
      flushes: flush('minato_es_flush_duration_seconds_count'),
      flushSeconds: flush('minato_es_flush_duration_seconds_sum'),
      usage: usageTable(before, after, hashes.length, 'torrent'),
      rssPeak,
    };
  } finally {
    await stopBenchWorker(worker);
  }
}

function render(
  raw: RawResult,
  pipeline: PipelineResult,
  floor: FloorResult,
  env: Record<string, string>,
): string {
  const rawRate = (1000 * raw.docs) / raw.searchableMs;
  const pipelineRate = (1000 * pipeline.torrents) / pipeline.searchableMs;
  const floorRate = (1000 * floor.jobs) / floor.drainMs;
  const ratio = pipelineRate / rawRate;
  const peak = pipeline.rssPeak[0];
  const tuning = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return section(
    `Pass-1 throughput (${num(pipeline.torrents)} torrents)`,
    table(
      ['path', 'start → done', 'rate', 'detail'],
      [
        [
          `raw \`_bulk\`, ${raw.bulks} sequential batches of ${RAW_BATCH} (median of ${raw.roundsMs.length} rounds)`,
          duration(raw.searchableMs),
          `**${num(rawRate)} docs/s**`,
          `rounds: ${raw.roundsMs.map(duration).join(', ')} until searchable; median round's bulks done in ${duration(raw.bulkMs)} ` +
            `(${num((1000 * raw.docs) / raw.bulkMs)} docs/s before the refresh)`,
        ],
        [
          'pipeline: `enqueueBulk` (jobs of 500 torrents) → one ingest worker → searchable' +
            (tuning.length > 0 ? ` (with ${tuning.join(', ')})` : ''),
          duration(pipeline.searchableMs),
          `**${num(pipelineRate)} torrents/s**`,
          `enqueue took ${duration(pipeline.enqueueMs)}; all \`indexed_version\` set after ` +
            `${duration(pipeline.acknowledgedMs)}; ${num(pipeline.flushes)} bulks, ` +
            `${num(pipeline.torrents / Math.max(1, pipeline.flushes))} docs each on average, ` +
            `${duration((1000 * pipeline.flushSeconds) / Math.max(1, pipeline.flushes))} each`,
        ],
        [
          'BullMQ alone: the same job options, a no-op processor, enqueued first then drained',
          duration(floor.drainMs),
          `${num(floorRate)} jobs/s`,
          `enqueue alone: ${num((1000 * floor.jobs) / floor.enqueueMs)} jobs/s; ` +
            `ceiling for any one-job-per-torrent design on one process: ${num(floorRate / rawRate, 2)} of raw`,
        ],
      ],
    ),
    `**Ratio pipeline / raw: ${num(ratio, 2)}** (target ≥ 0.8: ${ratio >= 0.8 ? 'met' : 'missed'}). ` +
      `Peak RSS of the ingest worker: ${peak ? `${num(peak.peakBytes / 2 ** 20)} MiB (idle ${num(peak.idleBytes / 2 ** 20)} MiB)` : 'n/a'}. ` +
      `Time in \`_bulk\` inside the worker: ${num((100 * pipeline.flushSeconds * 1000) / pipeline.searchableMs)} % ` +
      'of the run (the buffer sends one bulk at a time).',
    '**Where the time went, raw `_bulk` (the median round):**',
    raw.usage,
    '**Where the time went, pipeline:**',
    pipeline.usage,
    '**Where the time went, BullMQ alone (the drain):**',
    floor.usage,
  );
}
