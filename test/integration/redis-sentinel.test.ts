import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STUCK_EXIT_CODE, createQueues, enqueueTorrents } from '@minato/core';
import {
  FAILOVER_TORRENTS,
  PROBE_TORRENTS,
  runThroughFailover,
  type FailoverOutcome,
} from '../support/failover-run.js';
import { startGrantProbe } from '../support/grant-probe.js';
import { readiness } from '../support/parked-worker.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { sentinelTopology } from '../support/redis-topologies.js';
import { waitFor } from '../support/wait-for.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';

const run = promisify(execFile);
// This file's own ports: master 6404, replica 6405, sentinels 26404-26406 (faults-redis-down has 6400).
const sentinel = sentinelTopology(6404, 26404);

/** The run's figures, and the claims every failover must keep. */
function expectNothingLost(what: string, outcome: FailoverOutcome, electionMs: number): void {
  console.info(`${what}, master elected after ${electionMs} ms: ${JSON.stringify(outcome)}`);
  expect(outcome.mismatches).toEqual([]);
  expect(outcome.rows).toBe(FAILOVER_TORRENTS + PROBE_TORRENTS);
  expect(outcome.failedAttempts).toBe(0);
  expect(outcome.failedJobs).toBe(0);
  // ingest, three enrichment replicas, sync: each completed a job after the election
  expect(Object.keys(outcome.resumedMs)).toHaveLength(5);
}

/**
 * The TMDB budget across the failover, from the ledger of the master that won (docs/redis.md, "What a failover
 * costs"): every request spent a grant, so requests beyond its grants are grants the failover lost. The fence
 * spends only grants the new master knows (a demoted master kept granting and refilling until it heard of its
 * demotion, and lost up to 23 grants against a bucket of 20 before it), so none may be missing.
 */
function expectTmdbBudgetKept(outcome: FailoverOutcome, grants: ProbeGrants): void {
  console.info(
    `TMDB budget: ${outcome.tmdbRequests} requests, ${outcome.ledgerGrants} grants in the ledger, ${outcome.grantsWithheld} withheld; probe: ${JSON.stringify(grants)}`,
  );
  expect(outcome.tmdbRequests - outcome.ledgerGrants).toBeLessThanOrEqual(0);
  // The pipeline's TMDB calls may all fall before the failover (the lookup cache answers the rest); the probe
  // spends grants throughout, before and after it, and the winner's ledger must hold every one.
  expect(grants.spentBefore).toBeGreaterThan(0);
  expect(grants.spentAfter).toBeGreaterThan(0);
  expect(grants.missing).toBe(0);
}

interface ProbeGrants {
  spentBefore: number;
  spentAfter: number;
  withheld: number;
  missing: number;
}

// A run through a failover takes 60–110 s on the shared 2-core machine, more when other sessions load it.
const FAILOVER_TEST_MS = 360_000;

describe('on Redis Sentinel', () => {
  let h: Harness | undefined;
  beforeAll(() => sentinel.start(), 120_000);
  afterAll(() => sentinel.stop());
  afterEach(async () => {
    await h?.close();
    h = undefined;
    // a node a test killed comes back as a replica
    await sentinel.start();
  });

  /**
   * The pipeline run through the failover `cause` starts (given the master's port), timed from the cause, with a
   * probe spending grants of a bucket of its own through the same fence all along.
   */
  async function throughFailover(cause: (master: number) => Promise<void>) {
    h = await createHarness(sentinel.env);
    let electionMs = 0;
    let spentBefore = 0;
    const probe = startGrantProbe(
      sentinel.sentinels.map((port) => ({ host: '127.0.0.1', port })),
      sentinel.env.REDIS_SENTINEL_NAME,
    );
    try {
      const outcome = await runThroughFailover(h, {
        torrents: FAILOVER_TORRENTS,
        enrichmentReplicas: 3,
        failover: async () => {
          const old = await sentinel.master();
          spentBefore = probe.spent.length;
          const causedAt = Date.now();
          await cause(old);
          const electedAt = await sentinel.electedAfter(old);
          electionMs = electedAt - causedAt;
          return electedAt;
        },
      });
      const grants = {
        spentBefore,
        spentAfter: probe.spent.length - spentBefore,
        withheld: await probe.withheld(),
        missing: await probe.missingFrom(),
        errors: probe.errors.slice(0, 3),
      };
      return { outcome, electionMs, grants };
    } finally {
      await probe.stop();
    }
  }

  it(
    'goes through SENTINEL FAILOVER mid-run with 0 failed jobs, every worker back, PostgreSQL = Elasticsearch',
    async () => {
      const { outcome, electionMs, grants } = await throughFailover(async () => {
        await run('redis-cli', ['-p', String(sentinel.sentinels[0]), 'SENTINEL', 'FAILOVER', 'minato']);
      });
      expectNothingLost('SENTINEL FAILOVER', outcome, electionMs);
      expectTmdbBudgetKept(outcome, grants);
    },
    FAILOVER_TEST_MS,
  );

  it(
    'goes through a SIGKILLed master mid-run with 0 failed jobs, every worker back, PostgreSQL = Elasticsearch',
    async () => {
      const { outcome, electionMs, grants } = await throughFailover((master) => sentinel.kill(master));
      expectNothingLost('SIGKILLed master', outcome, electionMs);
      expectTmdbBudgetKept(outcome, grants);
    },
    FAILOVER_TEST_MS,
  );

  describe('when the sentinels are unreachable for longer than the blocking timeout, then back', () => {
    let worker: RunningProcess | undefined;
    afterEach(async () => {
      await sentinel.freezeSentinels(false).catch(() => undefined);
      if (worker) await stopProcess(worker);
      worker = undefined;
    });

    it('takes jobs again by itself, or exits to be restarted; /readyz is not ready while it is stuck', async () => {
      h = await createHarness(sentinel.env);
      const env = { ...h.env, RECONCILE_EVERY_MS: '0', WORKER_STUCK_AFTER_MS: '6000' };
      let started = await startReadyWorker('ingest', env);
      worker = started.worker;
      const torrents = await h.seed(200);
      const hashes = torrents.map((t) => t.infoHash);
      const master = await sentinel.master();
      await sentinel.freezeSentinels(true);
      // Every connection to the master dropped: each must ask the (silent) sentinels where the master is.
      await run('redis-cli', ['-p', String(master), 'CLIENT', 'KILL', 'TYPE', 'normal']);
      // The jobs arrive meanwhile, through a connection of the producer's own straight to the master.
      const direct = new Redis({ port: master, maxRetriesPerRequest: null });
      const queues = createQueues(direct, h.keys);
      const notReady: number[] = [];
      try {
        await enqueueTorrents(queues, 'TORRENT_INGEST', hashes);
        await waitFor(
          'the worker to report itself not ready while the sentinels are silent',
          async () => {
            const { status } = await readiness(started.port).catch(() => ({ status: 0 }));
            if (status !== 200) notReady.push(status);
            // one answer a second: the sentinels stay silent past BullMQ's longest block (10 s)
            return notReady.length >= 12;
          },
          { timeoutMs: 60_000, intervalMs: 1_000 },
        );
        console.info(`sentinels silent; /readyz answered ${notReady.join(',')}; thawing them`);
        await sentinel.freezeSentinels(false);
        const restarts: number[] = [];
        await waitFor(
          'every torrent to be indexed',
          async () => {
            if (worker!.child.exitCode !== null) {
              // the watchdog ended a stuck worker: Kubernetes starts a fresh one, here the test does
              restarts.push(worker!.child.exitCode);
              started = await startReadyWorker('ingest', env);
              worker = started.worker;
            }
            return (await h!.pgIndexed(hashes)) === hashes.length;
          },
          { timeoutMs: 120_000, intervalMs: 500 },
        );
        console.info(
          `stuck-worker run: /readyz answered ${notReady.join(',')} while the sentinels were silent; exits ${JSON.stringify(restarts)}; output:\n${worker.tail(20)}`,
        );
        expect(restarts.every((code) => code === STUCK_EXIT_CODE)).toBe(true);
      } finally {
        await Promise.allSettled(Object.values(queues).map((q) => q.close()));
        direct.disconnect();
      }
    });
  });
});
