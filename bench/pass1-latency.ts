import { enqueueBulk, enqueueTorrents } from '@minato/core';
import type { Harness } from '../test/support/pipeline-harness.js';
import { LatencyTracker } from './latency-tracker.js';
import { openHarness } from './harness.js';
import { CORPUS_SEED, scaled, type BenchOptions } from './options.js';
import { pace, progress } from './progress.js';
import { acknowledgedCount } from './progress-watch.js';
import { duration, num, section, summarize, table, type PartResult } from './report.js';
import { RssSampler } from './worker-metrics.js';
import { startBenchWorker, stopBenchWorker, type BenchWorker } from './workers.js';

const LIGHT_SPACING_MS = 50;
const PROBE_SPACING_MS = 250;
const WARM_UP = 5;

interface Latencies {
  acknowledged: number[];
  searchable: number[];
  rounds: number;
  elapsedMs: number;
}

/**
 * Pass-1 latency from enqueue to searchable, p50/p99: at light load (single torrents every 50 ms on an
 * idle worker) and at saturation (single torrents enqueued while a backlog of N is being ingested).
 */
export async function runPass1Latency(options: BenchOptions): Promise<PartResult> {
  const light = scaled(options, 200, 40);
  const backlog = scaled(options, 20_000, 3_000);
  const maxProbes = scaled(options, 200, 60);
  const h = await openHarness({ LOG_LEVEL: 'warn' });
  try {
    progress(`pass-1 latency: seeding ${WARM_UP + light + backlog + maxProbes} torrents`);
    const hashes = (await h.seed(WARM_UP + light + backlog + maxProbes, CORPUS_SEED + 1)).map(
      (t) => t.infoHash,
    );
    const warmUp = hashes.slice(0, WARM_UP);
    const lightHashes = hashes.slice(WARM_UP, WARM_UP + light);
    const backlogHashes = hashes.slice(WARM_UP + light, WARM_UP + light + backlog);
    const probeHashes = hashes.slice(WARM_UP + light + backlog);
    const worker = await startBenchWorker(
      'ingest',
      { ...h.env, ...options.ingestEnv },
      { profileDir: options.profileDir },
    );
    try {
      progress('light load: warming up');
      await lightLoad(h, warmUp);
      progress(`light load: ${light} torrents, one every ${LIGHT_SPACING_MS} ms`);
      const lightResult = await lightLoad(h, lightHashes);
      const sampler = new RssSampler(`pass 1, ${num(backlog)} backlog + probes`, [worker]);
      await sampler.start();
      const saturation = await saturated(h, worker, backlogHashes, probeHashes, WARM_UP + light);
      const rss = await sampler.stop();
      return { markdown: render(lightResult, saturation, backlog), rss };
    } finally {
      await stopBenchWorker(worker);
    }
  } finally {
    await h.close();
  }
}

async function lightLoad(h: Harness, hashes: string[]): Promise<Latencies> {
  const tracker = new LatencyTracker({ sql: h.sql, search: h.search, alias: h.config.ELASTICSEARCH_INDEX });
  const started = Date.now();
  for (const [i, hash] of hashes.entries()) {
    await pace(Math.max(0, started + i * LIGHT_SPACING_MS - Date.now()));
    const enqueuedAt = Date.now();
    await enqueueTorrents(h.queues, 'TORRENT_INGEST', [hash]);
    tracker.track(hash, enqueuedAt);
  }
  await tracker.settle(60_000);
  return { ...tracker.results(), elapsedMs: Date.now() - started };
}

interface Saturation extends Latencies {
  probes: number;
  backlogEnqueueMs: number;
  backlogDoneMs: number;
}

/** The backlog enqueued at once as bulk jobs; meanwhile a live probe every 250 ms until the backlog is acknowledged. */
async function saturated(
  h: Harness,
  worker: BenchWorker,
  backlog: string[],
  probes: string[],
  alreadyIndexed: number,
): Promise<Saturation> {
  const tracker = new LatencyTracker(
    { sql: h.sql, search: h.search, alias: h.config.ELASTICSEARCH_INDEX },
    100,
  );
  progress(`saturation: enqueueing a backlog of ${backlog.length}, probing every ${PROBE_SPACING_MS} ms`);
  const started = Date.now();
  let backlogEnqueueMs = 0;
  const enqueueBacklog = enqueueBulk(h.queues, 'TORRENT_INGEST', backlog).then(() => {
    backlogEnqueueMs = Date.now() - started;
  });
  let sent = 0;
  let backlogDoneMs = 0;
  while (sent < probes.length) {
    await pace(Math.max(0, started + sent * PROBE_SPACING_MS - Date.now()));
    const done = (await acknowledgedCount(h.sql)) - alreadyIndexed - sent;
    if (done >= backlog.length && backlogEnqueueMs > 0) {
      backlogDoneMs = Date.now() - started;
      break;
    }
    if (worker.process.child.exitCode !== null)
      throw new Error(`ingest worker exited:\n${worker.process.output()}`);
    const hash = probes[sent]!;
    const enqueuedAt = Date.now();
    await enqueueTorrents(h.queues, 'TORRENT_INGEST', [hash]);
    tracker.track(hash, enqueuedAt);
    sent++;
    if (sent % 40 === 0)
      progress(`saturation: ${sent} probes sent, ${done}/${backlog.length} of the backlog acknowledged`);
  }
  await enqueueBacklog;
  await tracker.settle(600_000);
  if (backlogDoneMs === 0) backlogDoneMs = Date.now() - started;
  return {
    ...tracker.results(),
    elapsedMs: Date.now() - started,
    probes: sent,
    backlogEnqueueMs,
    backlogDoneMs,
  };
}

function render(light: Latencies, saturation: Saturation, backlog: number): string {
  const row = (label: string, samples: number[]) => {
    const s = summarize(samples);
    return [label, String(s.n), duration(s.p50), duration(s.p99), duration(s.max)];
  };
  const lightP99 = summarize(light.searchable).p99;
  return section(
    'Pass-1 latency, enqueue → searchable',
    table(
      ['load', 'n', 'p50', 'p99', 'max'],
      [
        row(`light: one torrent every ${LIGHT_SPACING_MS} ms, until acknowledged`, light.acknowledged),
        row(`light: one torrent every ${LIGHT_SPACING_MS} ms, until searchable`, light.searchable),
        row(
          `saturation: live probes during a ${num(backlog)} bulk backlog, until acknowledged`,
          saturation.acknowledged,
        ),
        row(
          `saturation: live probes during a ${num(backlog)} bulk backlog, until searchable`,
          saturation.searchable,
        ),
      ],
    ),
    `**Light load p99 (searchable): ${duration(lightP99)}** (target ≤ 2 s: ${lightP99 <= 2_000 ? 'met' : 'missed'}). ` +
      '"Acknowledged" is `indexed_version` set in PostgreSQL, written after Elasticsearch acknowledged the ' +
      'bulk; "searchable" is a plain search finding the document, so it adds the wait for the next ' +
      'refresh (`refresh_interval: 1s`): on average half a second, at most one. Both are polled every ' +
      `20 ms (light) or 100 ms (saturation) for all outstanding torrents at once, and stamped when the ` +
      'answer arrives.',
    `At saturation the backlog took ${duration(saturation.backlogEnqueueMs)} to enqueue and ` +
      `${duration(saturation.backlogDoneMs)} to be acknowledged; ${saturation.probes} probes were sent, one every ` +
      `${PROBE_SPACING_MS} ms. The backlog goes as bulk jobs (prioritized) and the probes as live jobs (the wait ` +
      'list, which workers empty first): a probe waits for a free job slot and for the documents already in the ' +
      'buffer, not for the backlog still queued.',
  );
}
