import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { seededRandom } from '@minato/core';
import { startTmdbFake } from '@minato/tmdb-fake';
import { openHarness } from '../harness.js';
import { cleanUpOnSignals, onInterrupt } from '../interrupt.js';
import { BAD_INPUT_MARK, finalAudit } from './audit.js';
import { RedisEvidence } from './evidence.js';
import { Fleet } from './fleet.js';
import { Injector } from './injector.js';
import { startSoakServices } from './services.js';
import { summaryLine } from './summary.js';

const HELP = `Chaos soak: torrents through all three passes while faults are injected at random, then an audit.
Usage: node --import tsx bench/soak/main.ts [--minutes N] [--torrents N] [--seed N]
  --minutes N   how long faults are injected (default 10); the settle and audit follow
  --torrents N  torrents seeded and enqueued (default 50000)
  --seed N      seed of the corpus and of the fault schedule (default: random)
Starts its own Redis (6399), Elasticsearch (9218) and PostgreSQL cluster 15/soak (5443) on 127.0.0.1, and
stops them at the end. Prints one summary line; exits 1 with the list of violations if a check fails.`;

// Bad input the soak sends on purpose: these jobs, and only these, may fail.
const BAD_INPUT_JOBS = 5;
const CAPACITY = 20;
const REFILL = 2;

function log(message: string): void {
  process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      torrents: { type: 'string', default: '50000' },
      seed: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const minutes = Number(values.minutes);
  const torrents = Number(values.torrents);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 1e9) : Number(values.seed);
  if (!(minutes > 0) || !Number.isInteger(torrents) || torrents < 1 || !Number.isInteger(seed)) {
    throw new Error(
      `--minutes must be > 0, --torrents and --seed integers ≥ 1; got ${JSON.stringify(values)}`,
    );
  }
  cleanUpOnSignals();
  log(`seed ${seed}; starting Redis 6399, Elasticsearch 9218, PostgreSQL 5443`);
  const services = await startSoakServices();
  const unregisterServices = onInterrupt(() => services.close());
  Object.assign(process.env, services.env);
  const apiKey = `soak-tmdb-${randomBytes(6).toString('hex')}`;
  const tmdb = await startTmdbFake({ port: 0, apiKey });
  const h = await openHarness();
  const fleet = new Fleet(
    {
      ...services.env,
      ...h.env,
      TMDB_API_KEY: apiKey,
      TMDB_BASE_URL: tmdb.baseUrl,
      TMDB_RATE_CAPACITY: String(CAPACITY),
      TMDB_RATE_REFILL_PER_SEC: String(REFILL),
      // A killed worker's jobs come back within seconds; the reconciler heals what a Redis restart lost.
      JOB_LOCK_MS: '10000',
      RECONCILE_EVERY_MS: '60000',
    },
    { ingest: 1, enrichment: 2, sync: 1 },
    // Its reconciler logs each pass at info (`reconciled`): the summary counts what those passes repaired.
    { sync: { LOG_LEVEL: 'info' } },
  );
  onInterrupt(() => fleet.stop());
  try {
    const evidence = new RedisEvidence(h.redis, { baseUrl: tmdb.baseUrl, apiKey }, h.queues);
    log(`seeding ${torrents} torrents`);
    const hashes = (await h.seed(torrents, seed)).map((t) => t.infoHash);
    await fleet.start();
    const phaseStart = Date.now();
    for (let i = 0; i < BAD_INPUT_JOBS; i++) {
      await h.queues.TORRENT_INGEST.add('TORRENT_INGEST', { infoHash: `${BAD_INPUT_MARK}${i}` });
    }
    await h.enqueueIngest(hashes);
    const injector = new Injector({
      services,
      fleet,
      tmdb,
      evidence,
      sql: h.sql,
      queues: h.queues,
      random: seededRandom(seed),
      log,
    });
    injector.start();
    for (let left = minutes * 60_000; left > 0; left -= 30_000) {
      await sleep(Math.min(left, 30_000));
      const c = await h.repository.counts().catch(() => null);
      log(c ? `indexed ${c.indexed}, enriched ${c.enriched} of ${c.torrents}` : 'PostgreSQL unreachable');
    }
    log('stopping the injector');
    await injector.stop();
    const rssDuringFaults = fleet.rssSamples();
    const phaseMs = Date.now() - phaseStart;

    if (injector.failure) log(`the injector stopped early: ${injector.failure}`);
    const result = await finalAudit({
      h,
      evidence,
      fleet,
      rssDuringFaults,
      phaseMs,
      torrents,
      deletedRows: injector.deletedRows,
      renamed: injector.renamed,
      badInputJobs: BAD_INPUT_JOBS,
      tmdbGarbageInjected: (injector.counts.get('tmdb-garbage') ?? 0) > 0,
      secrets: { TMDB_API_KEY: apiKey, ...services.secrets },
      capacity: CAPACITY,
      refill: REFILL,
      log,
    });
    const violations = [
      ...(injector.failure ? [`a fault could not be applied or undone: ${injector.failure}`] : []),
      ...result.violations,
    ];
    for (const v of violations) log(`VIOLATION ${v}`);
    process.stdout.write(
      `${summaryLine({
        minutes,
        torrents,
        faults: injector.counts,
        ...result,
        violations: violations.length,
      })}\n`,
    );
    return violations.length === 0 ? 0 : 1;
  } finally {
    await fleet.stop();
    await h.close();
    await tmdb.close();
    unregisterServices();
    await services.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
