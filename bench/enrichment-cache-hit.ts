import { enqueueBulk, lookupKey, parseRelease, syntheticTorrents } from '@minato/core';
import type { Harness } from '../test/support/pipeline-harness.js';
import { CORPUS_SEED } from './options.js';
import { pace, progress } from './progress.js';
import { duration, num, section, table } from './report.js';
import type { TmdbFakeProcess } from './tmdb-fake-process.js';
import { RssSampler, type RssPeak } from './worker-metrics.js';
import { startBenchWorker, stopBenchWorker } from './workers.js';

/** The scale requirement: torrents a second one enrichment replica settles when their titles are cached. */
const TARGET_PER_SECOND = 1_000;

/** The cache key pass 2 looks a release up by; null for a release it skips without a lookup. */
export function releaseLookupKey(title: string): string | null {
  const release = parseRelease(title);
  if (!release.enrichable || release.type === 'other' || !release.title) return null;
  return lookupKey({ type: release.type, title: release.title, year: release.year, imdbId: release.imdbId });
}

export interface CacheHitRun {
  torrents: number;
  ms: number;
  tmdbCalls: number;
  rss: RssPeak[];
}

/**
 * Pass 2 when every title is already in the lookup cache, which is what most of a backfill costs once its
 * distinct titles were looked up: `count` enrichable torrents whose lookup keys an earlier run cached, sent as bulk
 * jobs (as pass 1 hands them on) to one enrichment replica, timed from enqueue until every one is saved.
 */
export async function runCacheHit(
  h: Harness,
  env: Record<string, string>,
  tmdb: TmdbFakeProcess,
  cached: ReadonlySet<string>,
  count: number,
): Promise<CacheHitRun> {
  const torrents = syntheticTorrents(count * 3, CORPUS_SEED + 3)
    .filter((t) => cached.has(releaseLookupKey(t.title) ?? ''))
    .slice(0, count);
  progress(`enrichment, warm cache: seeding ${num(torrents.length)} torrents with cached titles`);
  await h.seed(torrents);
  const settledBefore = await settledCount(h);
  const worker = await startBenchWorker('enrichment', env, { label: 'enrichment-worker (warm cache)' });
  try {
    const sampler = new RssSampler(`pass 2 on a warm cache, ${num(torrents.length)} torrents`, [worker]);
    await sampler.start();
    await tmdb.reset();
    const started = Date.now();
    await enqueueBulk(
      h.queues,
      'CLASSIFY',
      torrents.map((t) => t.infoHash),
    );
    const deadline = started + 300_000;
    while ((await settledCount(h)) - settledBefore < torrents.length) {
      if (worker.process.child.exitCode !== null)
        throw new Error(`${worker.worker} exited:\n${worker.process.output()}`);
      if (Date.now() > deadline) throw new Error('pass 2 on a warm cache: not settled in 5 minutes');
      await pace(50);
    }
    const ms = Date.now() - started;
    return {
      torrents: torrents.length,
      ms,
      tmdbCalls: (await tmdb.requests()).length,
      rss: await sampler.stop(),
    };
  } finally {
    await stopBenchWorker(worker);
  }
}

async function settledCount(h: Harness): Promise<number> {
  const [row] = await h.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM torrents WHERE enrichment_status IS NOT NULL`;
  return row?.n ?? 0;
}

export function renderCacheHit(run: CacheHitRun): string {
  const rate = (1000 * run.torrents) / run.ms;
  const ratio = rate / TARGET_PER_SECOND;
  return section(
    `Pass 2 on a warm lookup cache (${num(run.torrents)} torrents, 1 replica)`,
    table(
      ['figure', 'value'],
      [
        [
          '**cache-hit enrichment rate**',
          `**${num(rate)} torrents/s** (${num(run.torrents)} settled in ${duration(run.ms)}, enqueue included); ` +
            `**${num(ratio, 2)}× the ${num(TARGET_PER_SECOND)}/s target** (${ratio >= 1 ? 'met' : 'missed'})`,
        ],
        ['TMDB calls during the run', `${num(run.tmdbCalls)} (every title was cached by the run above)`],
      ],
    ),
    'Enrichable releases of the same corpus whose lookup keys the run above cached, sent as bulk jobs of 500 ' +
      '(the form pass 1 hands on) to one enrichment worker (concurrency 5, no sync worker running): parsing, one ' +
      'cache read per distinct title of a job, the saves and the ES_SYNC hand-offs.',
  );
}
