import { QUEUES, enqueueTorrents, syntheticTorrents, type NewTorrent } from '@minato/core';
import type { LoggedRequest } from '@minato/tmdb-fake';
import type { Harness } from '../test/support/pipeline-harness.js';
import { tightestWindow } from '../test/support/rate-windows.js';
import { releaseLookupKey, renderCacheHit, runCacheHit } from './enrichment-cache-hit.js';
import { openHarness } from './harness.js';
import { CORPUS_SEED, scaled, type BenchOptions } from './options.js';
import { pace, progress } from './progress.js';
import { visibleCount } from './progress-watch.js';
import { duration, num, section, table, type PartResult } from './report.js';
import { usageSnapshot, usageTable } from './usage-meter.js';
import { startTmdbFakeProcess, tmdbFakeBuilt, type TmdbFakeProcess } from './tmdb-fake-process.js';
import { RssSampler } from './worker-metrics.js';
import { startBenchWorker, stopBenchWorker, workerBuilt, type BenchWorker } from './workers.js';

const REPLICAS = 3;
const CAPACITY = 20;
const REFILL_PER_SECOND = 2;

interface StatusCounts {
  matched: number;
  no_match: number;
  skipped: number;
  settled: number;
}

/**
 * Pass 2 on `minato seed`'s corpus (the same film in many releases, as real crawls have): three
 * enrichment replicas and one sync worker against the TMDB fake, at TMDB's default budget of
 * 20 + 2·t calls. Reports TMDB calls per enriched torrent, throughput, and the rate limit's
 * utilisation and violations read from the fake's own request log.
 */
export async function runEnrichment(options: BenchOptions): Promise<PartResult> {
  const missing = [
    ...(['enrichment', 'sync'] as const)
      .filter((name) => !workerBuilt(name))
      .map((name) => `packages/${name}-worker/dist/main.js`),
    ...(tmdbFakeBuilt() ? [] : ['packages/tmdb-fake/dist/main.js']),
  ];
  if (missing.length > 0) {
    return {
      markdown: section(
        'Pass 2: enrichment',
        `**Not run:** ${missing.join(', ')} missing (run \`make build\`).`,
      ),
      rss: [],
    };
  }
  const count = scaled(options, 2_000, 400);
  const h = await openHarness({ LOG_LEVEL: 'warn', RECONCILE_EVERY_MS: '0' });
  const workers: BenchWorker[] = [];
  let tmdb: TmdbFakeProcess | undefined;
  try {
    tmdb = await startTmdbFakeProcess();
    const torrents = syntheticTorrents(count, CORPUS_SEED + 2);
    progress(`enrichment: seeding ${count} torrents of minato seed's corpus`);
    await h.seed(torrents);
    const env = {
      ...h.env,
      TMDB_BASE_URL: tmdb.baseUrl,
      TMDB_API_KEY: 'minato-dev-key',
      TMDB_RATE_CAPACITY: String(CAPACITY),
      TMDB_RATE_REFILL_PER_SEC: String(REFILL_PER_SECOND),
      ENRICHMENT_CONCURRENCY: '5',
    };
    for (let i = 1; i <= REPLICAS; i++) {
      workers.push(
        await startBenchWorker('enrichment', env, { label: `enrichment-worker ${i}/${REPLICAS}` }),
      );
    }
    workers.push(await startBenchWorker('sync', env));
    const sampler = new RssSampler(`pass 2+3, ${num(count)} seeded torrents`, workers);
    await sampler.start();
    const before = await usageSnapshot(h, workers);
    await tmdb.reset();

    progress(`enrichment: enqueueing ${count} CLASSIFY jobs`);
    const started = Date.now();
    await enqueueTorrents(
      h.queues,
      QUEUES.classify,
      torrents.map((t) => t.infoHash),
    );
    const statuses = await waitSettled(h, count, workers);
    const settledAt = Date.now();
    const after = await usageSnapshot(h, workers);
    const syncedAt = await waitSynced(h, count, statuses.matched);
    const rss = await sampler.stop();
    const markdown = render({
      torrents,
      statuses,
      requests: await tmdb.requests(),
      settledMs: settledAt - started,
      syncedMs: syncedAt - started,
      usage: usageTable(before, after, count, 'torrent'),
    });
    await Promise.all(workers.splice(0).map((w) => stopBenchWorker(w)));
    const warm = await runCacheHit(
      h,
      env,
      tmdb,
      distinctLookups(torrents).keys,
      scaled(options, 20_000, 3_000),
    );
    return { markdown: `${markdown}\n\n${renderCacheHit(warm)}`, rss: [...rss, ...warm.rss] };
  } finally {
    await Promise.all(workers.map((w) => stopBenchWorker(w)));
    await tmdb?.stop();
    await deleteKeys(h, `${h.env.QUEUE_PREFIX}:minato:*`);
    await h.close();
  }
}

async function statusCounts(h: Harness): Promise<StatusCounts> {
  const [row] = await h.sql<StatusCounts[]>`SELECT
      count(*) FILTER (WHERE enrichment_status = 'matched')::int AS matched,
      count(*) FILTER (WHERE enrichment_status = 'no_match')::int AS no_match,
      count(*) FILTER (WHERE enrichment_status = 'skipped')::int AS skipped,
      count(*) FILTER (WHERE enrichment_status IS NOT NULL)::int AS settled
    FROM torrents`;
  return row ?? { matched: 0, no_match: 0, skipped: 0, settled: 0 };
}

/** Every row enriched, found no match or skipped; failed CLASSIFY jobs end the wait with their reason. */
async function waitSettled(h: Harness, count: number, workers: BenchWorker[]): Promise<StatusCounts> {
  const deadline = Date.now() + 600_000;
  let lastReport = 0;
  for (;;) {
    const counts = await statusCounts(h);
    if (counts.settled >= count) return counts;
    const failed = await h.queues[QUEUES.classify].getFailed(0, 0);
    if (failed[0]) throw new Error(`a CLASSIFY job failed: ${failed[0].failedReason}`);
    const dead = workers.find((w) => w.process.child.exitCode !== null);
    if (dead) throw new Error(`${dead.worker} exited:\n${dead.process.output()}`);
    if (Date.now() > deadline)
      throw new Error(`only ${counts.settled}/${count} torrents settled in 10 minutes`);
    if (Date.now() - lastReport > 5_000) {
      progress(`enrichment: ${counts.settled}/${count} settled (${counts.matched} matched)`);
      lastReport = Date.now();
    }
    await pace(250);
  }
}

/** Pass 3 done: every row searchable, the matched ones with their enrichment. */
async function waitSynced(h: Harness, count: number, matched: number): Promise<number> {
  const alias = h.config.ELASTICSEARCH_INDEX;
  const deadline = Date.now() + 300_000;
  for (;;) {
    const [all, enriched] = await Promise.all([
      visibleCount(h.search, alias),
      h.search.count(alias, { term: { enriched: true } }).catch(() => 0),
    ]);
    if (all >= count && enriched >= matched) return Date.now();
    if (Date.now() > deadline)
      throw new Error(`ES_SYNC: ${all}/${count} searchable, ${enriched}/${matched} enriched`);
    await pace(250);
  }
}

interface WindowCheck {
  /** calls that end at least one window of t seconds holding more than capacity + refill·t calls */
  violations: number;
  /** 1-based positions of the calls where violating windows start */
  starts: number[];
  /** the largest excess of any window that does not start at the run's first call */
  maxExcessAfterFirst: number;
}

/** Every window between two calls of the sorted log, against capacity + refill·t. */
function checkWindows(times: readonly number[], capacity: number, refill: number): WindowCheck {
  let violations = 0;
  const starts = new Set<number>();
  let maxExcessAfterFirst = -Infinity;
  for (let j = 0; j < times.length; j++) {
    let violated = false;
    for (let i = 0; i <= j; i++) {
      const excess = j - i + 1 - (capacity + (refill * (times[j]! - times[i]!)) / 1000);
      if (i > 0) maxExcessAfterFirst = Math.max(maxExcessAfterFirst, excess);
      if (excess > 0) {
        violated = true;
        starts.add(i + 1);
      }
    }
    if (violated) violations++;
  }
  return { violations, starts: [...starts].sort((a, b) => a - b), maxExcessAfterFirst };
}

/** The fewest TMDB calls the corpus allows: one per distinct lookup key among the enrichable releases. */
function distinctLookups(torrents: readonly NewTorrent[]): { enrichable: number; keys: Set<string> } {
  const keys = new Set<string>();
  let enrichable = 0;
  for (const { title } of torrents) {
    const key = releaseLookupKey(title);
    if (key === null) continue;
    enrichable++;
    keys.add(key);
  }
  return { enrichable, keys };
}

function endpoint(path: string): string {
  if (path.startsWith('/3/search/')) return path.slice(3);
  if (path.startsWith('/3/find/')) return 'find/{imdb id}';
  return path.slice(3).replace(/\/\d+$/, '/{id}');
}

function render(run: {
  torrents: NewTorrent[];
  statuses: StatusCounts;
  requests: LoggedRequest[];
  settledMs: number;
  syncedMs: number;
  usage: string;
}): string {
  const { statuses, requests } = run;
  const calls = requests.length;
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  const tightest = tightestWindow(
    times.map((ms) => ms * 1000),
    CAPACITY,
    REFILL_PER_SECOND,
  );
  const excess = tightest.count - tightest.allowed;
  const { utilisation } = tightest;
  const windows = checkWindows(times, CAPACITY, REFILL_PER_SECOND);
  const runSeconds = run.settledMs / 1000;
  const allowedOverRun = CAPACITY + REFILL_PER_SECOND * runSeconds;
  const spanSeconds = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : 0;
  const byEndpoint = new Map<string, number>();
  for (const r of requests) byEndpoint.set(endpoint(r.path), (byEndpoint.get(endpoint(r.path)) ?? 0) + 1);
  const statusesSeen = [...new Set(requests.map((r) => r.status))].sort().join(', ');
  const ideal = distinctLookups(run.torrents);
  const perEnriched = calls / Math.max(1, statuses.matched);
  return section(
    `Pass 2: enrichment on \`minato seed\`'s corpus (${num(run.torrents.length)} torrents, ${REPLICAS} replicas)`,
    table(
      ['figure', 'value'],
      [
        [
          'outcome',
          `${num(statuses.matched)} matched, ${num(statuses.no_match)} no match, ${num(statuses.skipped)} skipped (not video)`,
        ],
        [
          '**TMDB calls per enriched torrent**',
          `**${num(perEnriched, 3)}** (goal ≤ 0.3: ${perEnriched <= 0.3 ? 'met' : 'missed'}): ${num(calls)} calls for ` +
            `${num(statuses.matched)} matched; the corpus has ${num(ideal.keys.size)} distinct lookup keys among ` +
            `${num(ideal.enrichable)} enrichable releases, so ${num(ideal.keys.size / Math.max(1, statuses.matched), 3)} is the floor`,
        ],
        [
          'calls by endpoint',
          [...byEndpoint].map(([e, n]) => `${e}: ${n}`).join(', ') + ` (statuses: ${statusesSeen})`,
        ],
        [
          '**enrichment throughput**',
          `**${num(run.torrents.length / runSeconds, 1)} torrents/s** (all ${num(run.torrents.length)} settled in ` +
            `${duration(run.settledMs)}); ${num((statuses.matched + statuses.no_match) / runSeconds, 1)} enrichable torrents/s`,
        ],
        [
          'pass 3 done (all searchable, matched ones enriched in Elasticsearch)',
          `${duration(run.syncedMs)} after enqueue`,
        ],
        [
          "**rate-limit violations** (calls ending a window of t s that holds more than 20 + 2·t calls, in the fake's log)",
          `**${windows.violations}**; largest excess ${num(Math.max(0, excess), 2)} calls` +
            (windows.violations > 0
              ? `, in windows starting at call #${windows.starts.slice(0, 5).join(', #')}` +
                `${windows.starts.length > 5 ? ', …' : ''}; windows not starting at the first call: ` +
                `largest excess ${num(windows.maxExcessAfterFirst, 2)} (≤ 0 means none over)`
              : ''),
        ],
        [
          '**rate-limit utilisation**',
          `**${num(100 * utilisation)} %** of 20 + 2·t over the ${num(spanSeconds, 1)} s from first to last call ` +
            `(${num(calls)} of ${num(CAPACITY + REFILL_PER_SECOND * spanSeconds)} allowed); ` +
            `${num((100 * calls) / allowedOverRun)} % over the whole ${num(runSeconds, 1)} s run, most of which ` +
            'is served from the lookup cache without calls',
        ],
      ],
    ),
    `Budget: ${CAPACITY} tokens, ${REFILL_PER_SECOND}/s (the defaults), one bucket in Redis shared by the ` +
      `${REPLICAS} replicas, concurrency 5 each. The request log is the fake's, stamped on arrival.`,
    '**Where the time went (until every torrent settled):**',
    run.usage,
  );
}

/** Deletes this run's own Redis keys (token bucket, lookup locks) that obliterating the queues leaves. */
async function deleteKeys(h: Harness, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await h.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await h.redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
