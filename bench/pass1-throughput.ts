import {
  buildTorrentDocument,
  concreteIndexName,
  enqueueBulk,
  enqueueTorrents,
  ensureIndex,
  normalizeTitle,
  parseRelease,
  templateName,
  type VersionedDocument,
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
/** the size of run the ratio's target (≥ 0.8 of the ideal path) is set at */
const RATIO_TORRENTS = 200_000;
// Rounds per reference path, the median of three: at 200,000 torrents single rounds of the ideal path measured
// 7,522 to 10,255 torrents/s on the same machine within an hour. Above 200,000 one round, for time.
const roundsFor = (docs: number) => (docs > RATIO_TORRENTS ? 1 : 3);
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
  liveJobs: boolean;
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
 * `minato enqueue ingest --all` sends), against the ideal path of DESIGN.md in the same run: one process that
 * reads the same rows, parses the titles, builds the documents and sends them to `_bulk` in batches of 500, timed
 * whole (target ≥ 0.8 of it). Pure `_bulk` of bodies built beforehand is reported beside. `--n=N` sets N.
 */
export async function runPass1Throughput(options: BenchOptions): Promise<PartResult> {
  // 200,000 by default, where the target is set: in a run of seconds the 1 s refresh weighs on both sides.
  const count = options.count ?? scaled(options, RATIO_TORRENTS, 3_000);
  const h = await openHarness({ LOG_LEVEL: 'warn' });
  try {
    progress(`pass-1 throughput: seeding ${count} torrents`);
    const hashes = (await h.seed(count, CORPUS_SEED)).map((t) => t.infoHash);
    const { ideal, pure } = await referencePaths(h, hashes);
    const env = options.ingestEnv ?? {};
    const pipeline = await throughPipeline(h, hashes, env, options);
    const concurrency = Number(env.INGEST_CONCURRENCY ?? h.config.INGEST_CONCURRENCY);
    const floor = await measureBullmqFloor(h, count, concurrency);
    return { markdown: render(ideal, pure, pipeline, floor, env), rss: pipeline.rssPeak };
  } finally {
    await h.close();
  }
}

/** One batch's documents as the worker would build them, with their external versions. */
async function bulkOperations(h: Harness, hashes: readonly string[]): Promise<VersionedDocument[]> {
  const rows = await h.repository.findMany(hashes);
  return rows.map((row) => ({
    id: row.infoHash,
    version: row.version,
    body: buildTorrentDocument(row, parseRelease(row.title), normalizeTitle(row.title)),
  }));
}

/**
 * The two reference paths, round by round in turns after a warm-up round, each round into a fresh index of the
 * template: the ideal path reads, parses and builds every batch inside its timing; pure `_bulk` sends bodies built
 * beforehand. The median round of each is its reference.
 */
async function referencePaths(h: Harness, hashes: string[]): Promise<{ ideal: RawResult; pure: RawResult }> {
  const batches: string[][] = [];
  for (let i = 0; i < hashes.length; i += RAW_BATCH) batches.push(hashes.slice(i, i + RAW_BATCH));
  progress('pure _bulk: building documents');
  const prebuilt: VersionedDocument[][] = [];
  for (const batch of batches) prebuilt.push(await bulkOperations(h, batch));
  // Elasticsearch compiles its indexing code on the first documents it takes; that round would be slower
  // whichever path ran it, so one pure round warms it up first and is not counted.
  await rawRound(
    h,
    `${h.config.ELASTICSEARCH_INDEX}-warm-up`,
    batches.length,
    (i) => Promise.resolve(prebuilt[i]!),
    hashes.length,
  );
  const rounds = { ideal: [] as RawRound[], pure: [] as RawRound[] };
  for (let round = 1; round <= roundsFor(hashes.length); round++) {
    const alias = (path: string) => `${h.config.ELASTICSEARCH_INDEX}-${path}${round}`;
    rounds.ideal.push(
      await rawRound(h, alias('ideal'), batches.length, (i) => bulkOperations(h, batches[i]!), hashes.length),
    );
    rounds.pure.push(
      await rawRound(h, alias('pure'), batches.length, (i) => Promise.resolve(prebuilt[i]!), hashes.length),
    );
  }
  const median = (of: RawRound[]): RawResult => {
    const byTime = [...of].sort((a, b) => a.searchableMs - b.searchableMs);
    return {
      ...byTime[Math.floor(byTime.length / 2)]!,
      docs: hashes.length,
      bulks: batches.length,
      roundsMs: of.map((r) => r.searchableMs),
    };
  };
  return { ideal: median(rounds.ideal), pure: median(rounds.pure) };
}

interface RawRound {
  bulkMs: number;
  searchableMs: number;
  usage: string;
}

async function rawRound(
  h: Harness,
  alias: string,
  batches: number,
  operations: (batch: number) => Promise<VersionedDocument[]>,
  docs: number,
): Promise<RawRound> {
  const dropRawIndex = async () => {
    await h.search.deleteIndexes([concreteIndexName(alias)]).catch(() => undefined);
    await h.rest.request('DELETE', `/_index_template/${templateName(alias)}`).catch(() => undefined);
  };
  const unregister = onInterrupt(dropRawIndex);
  await ensureIndex(h.search, alias, { replicas: h.config.SEARCH_INDEX_REPLICAS });
  try {
    progress(`${alias}: ${batches} bulks of ${RAW_BATCH}`);
    const before = await usageSnapshot(h);
    const started = Date.now();
    for (let i = 0; i < batches; i++) {
      const response = await h.search.bulkIndex(alias, await operations(i));
      const failed = response.items.find((item) => item.error);
      if (failed) throw new Error(`${alias} _bulk item failed: ${JSON.stringify(failed.error)}`);
    }
    const bulkDone = Date.now();
    const { searchableAt } = await watchCompletion({ search: h.search, alias }, docs, {
      timeoutMs: 120_000,
      label: alias,
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
  { profileDir, liveJobs }: BenchOptions,
): Promise<PipelineResult> {
  const worker = await startBenchWorker('ingest', { ...h.env, ...env }, { profileDir });
  try {
    const targets = [worker];
    const sampler = new RssSampler(`pass 1, ${num(hashes.length)} enqueued at once`, targets);
    await sampler.start();
    const before = await usageSnapshot(h, targets);
    const flushesBefore = await scrapeMetrics(worker.port);
    progress(`pipeline: enqueueing ${hashes.length} torrents as ${liveJobs ? 'live' : 'bulk'} jobs`);
    const started = Date.now();
    await (liveJobs ? enqueueTorrents : enqueueBulk)(h.queues, 'TORRENT_INGEST', hashes);
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
      liveJobs: liveJobs === true,
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
  ideal: RawResult,
  pure: RawResult,
  pipeline: PipelineResult,
  floor: FloorResult,
  env: Record<string, string>,
): string {
  const rate = (r: RawResult) => (1000 * r.docs) / r.searchableMs;
  const idealRate = rate(ideal);
  const pureRate = rate(pure);
  const pipelineRate = (1000 * pipeline.torrents) / pipeline.searchableMs;
  const floorRate = (1000 * floor.jobs) / floor.drainMs;
  const ratio = pipelineRate / idealRate;
  const peak = pipeline.rssPeak[0];
  const tuning = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const reference = (label: string, r: RawResult, unit: string) => [
    `${label}, ${r.bulks} sequential batches of ${RAW_BATCH} (median of ${r.roundsMs.length} rounds)`,
    duration(r.searchableMs),
    `**${num(rate(r))} ${unit}/s**`,
    `rounds: ${r.roundsMs.map(duration).join(', ')} until searchable; median round's bulks done in ${duration(r.bulkMs)} ` +
      `(${num((1000 * r.docs) / r.bulkMs)} docs/s before the refresh)`,
  ];
  return section(
    `Pass-1 throughput (${num(pipeline.torrents)} torrents)`,
    table(
      ['path', 'start → done', 'rate', 'detail'],
      [
        reference(
          'ideal path: one process reads the rows, parses, builds and sends `_bulk`',
          ideal,
          'torrents',
        ),
        reference('pure `_bulk` of bodies built beforehand', pure, 'docs'),
        [
          (pipeline.liveJobs
            ? 'pipeline: `enqueueTorrents` (one live job a torrent) → one ingest worker → searchable'
            : 'pipeline: `enqueueBulk` (jobs of 500 torrents) → one ingest worker → searchable') +
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
            `ceiling for any one-job-per-torrent design on one process: ${num(floorRate / idealRate, 2)} of the ideal path`,
        ],
      ],
    ),
    `**Ratio pipeline / ideal path: ${num(ratio, 2)}** (${
      pipeline.torrents >= RATIO_TORRENTS
        ? `target ≥ 0.8: ${ratio >= 0.8 ? 'met' : 'missed'}`
        : `the target, ≥ 0.8, is set at ${num(RATIO_TORRENTS)} torrents`
    }); ` +
      `pipeline / pure \`_bulk\`: ${num(pipelineRate / pureRate, 2)}. ` +
      `Peak RSS of the ingest worker: ${peak ? `${num(peak.peakBytes / 2 ** 20)} MiB (idle ${num(peak.idleBytes / 2 ** 20)} MiB)` : 'n/a'}. ` +
      `Time with a \`_bulk\` in flight inside the worker: ${num((100 * pipeline.flushSeconds * 1000) / pipeline.searchableMs)} % ` +
      'of the run (bulk seconds summed, so above 100 % when bulks overlap).',
    '**Where the time went, ideal path (the median round):**',
    ideal.usage,
    '**Where the time went, pure `_bulk` (the median round):**',
    pure.usage,
    '**Where the time went, pipeline:**',
    pipeline.usage,
    '**Where the time went, BullMQ alone (the drain):**',
    floor.usage,
  );
}
