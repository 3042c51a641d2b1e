import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, type PipelineStatus } from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { clusterTopology, sentinelTopology } from '../support/redis-topologies.js';
import { waitFor } from '../support/wait-for.js';
import {
  runNode,
  startReadyWorker,
  stopProcess,
  withOutput,
  type RunningProcess,
} from '../support/worker-processes.js';

// This file's own ports: a Sentinel master on 6430, its replica on 6431, sentinels on 26430-26432; six cluster
// nodes on 6460-6465, their bus on 16460-16465 (not from 6440: 16443 is the local Kubernetes API's, up while the
// deploy tier runs beside this one). Every port serves TLS only and every node and sentinel wants the password, as
// a managed Redis does.
const password = 'minato-topology-pw';
const secured = { password, tls: true };
const sentinel = sentinelTopology(6430, 26430, secured);
const cluster = clusterTopology(6460, secured);

const TORRENTS = 300;
// Pass 1 of 300 torrents takes seconds; the bound only ends a hang, well inside two minutes on a loaded machine.
const RUN_TEST_MS = 110_000;
/** `minato status`'s exit status for Redis unreachable or refusing the password (README, "The minato command"). */
const REDIS_EXIT_STATUS = 4;

/**
 * Seeds and queues the torrents in two halves, `between` the halves once the worker took a job of the first, and
 * waits until PostgreSQL marks every one indexed (Elasticsearch acknowledged it).
 */
async function indexThroughPass1(h: Harness, between: () => Promise<void> = () => Promise.resolve()) {
  const hashes = (await h.seed(TORRENTS)).map((t) => t.infoHash);
  const half = TORRENTS / 2;
  await h.enqueueIngest(hashes.slice(0, half));
  await waitFor(
    'the ingest worker to take a job',
    async () => {
      const counts = await h.queues[QUEUES.ingest].getJobCounts('active', 'completed');
      return (counts.active ?? 0) + (counts.completed ?? 0) > 0;
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  await between();
  await h.enqueueIngest(hashes.slice(half));
  await waitFor(`${TORRENTS} torrents indexed`, async () => (await h.pgIndexed(hashes)) === TORRENTS, {
    timeoutMs: 90_000,
    intervalMs: 250,
  });
}

/** `minato status --json`: every torrent in PostgreSQL and Elasticsearch, and no failed job. */
async function expectStatusCountsEverything(env: Record<string, string>): Promise<void> {
  const out = await runNode(['packages/cli/dist/main.js', 'status', '--json'], env);
  expect(out.code, withOutput(out)).toBe(0);
  const status = JSON.parse(out.output.trim().split('\n').at(-1) ?? '{}') as PipelineStatus;
  expect(status.postgres, withOutput(out)).toMatchObject({ torrents: TORRENTS, indexed: TORRENTS });
  expect(status.elasticsearch?.docs, withOutput(out)).toBe(TORRENTS);
  expect(status.queues?.TORRENT_INGEST.failed, withOutput(out)).toBe(0);
}

/**
 * `minato status` with `env` over `given`: exit status 4, and one line on Redis (`Queues  unreachable: Redis at
 * <where> <what is wrong>: <the fix>`) that `says` matches; the password nowhere in the output.
 */
async function expectRefused(given: Record<string, string>, env: Record<string, string>, says: RegExp) {
  const out = await runNode(['packages/cli/dist/main.js', 'status'], { ...given, ...env });
  expect(out.code, withOutput(out)).toBe(REDIS_EXIT_STATUS);
  const lines = out.output.split('\n').filter((line) => line.includes('Redis'));
  expect(lines, withOutput(out)).toHaveLength(1);
  expect(lines[0], withOutput(out)).toMatch(says);
  expect(out.output).not.toContain(password);
}

const withoutPassword = { REDIS_PASSWORD: '', REDIS_SENTINEL_PASSWORD: '' };
const withoutTls = { REDIS_TLS: '', REDIS_CA_FILE: '' };

/** SENTINEL FAILOVER, resolved once every sentinel names the new master. */
async function sentinelFailover(): Promise<void> {
  const old = await sentinel.master();
  await sentinel.cli(sentinel.sentinels[0]!, 'SENTINEL', 'FAILOVER', 'minato');
  await sentinel.electedAfter(old);
}

// What `minato status` says: ioredis keeps only the text of a sentinel's refusal, so on Sentinel the NOAUTH is in
// the reason; a cluster node's refusal is a reply, which names the password. A TLS-only port closes a plain
// connection without a word: the fix names REDIS_TLS.
const sentinelAt = String.raw`^Queues +unreachable: Redis at sentinel master "minato" via \S+ is unreachable \(All sentinels are unreachable\. .*`;
const sentinelFix = ': start Redis or correct REDIS_SENTINELS, REDIS_SENTINEL_PASSWORD and REDIS_TLS$';
const clusterAt = String.raw`^Queues +unreachable: Redis at cluster \S+ `;

describe.each([
  [
    'Redis Sentinel',
    {
      topology: sentinel,
      midRun: { what: ' across a SENTINEL FAILOVER', cause: sentinelFailover },
      refusedWithoutPassword: new RegExp(`${sentinelAt}Last error: NOAUTH .*\\)${sentinelFix}`),
      refusedWithoutTls: new RegExp(`${sentinelAt}Last error: Connection is closed\\.\\)${sentinelFix}`),
    },
  ],
  [
    'a Redis Cluster',
    {
      topology: cluster,
      midRun: undefined,
      refusedWithoutPassword: new RegExp(
        `${clusterAt}refused the connection \\(NOAUTH\\): check REDIS_PASSWORD$`,
      ),
      refusedWithoutTls: new RegExp(
        `${clusterAt}is unreachable \\(Connection is closed\\.\\): start Redis or correct REDIS_CLUSTER_NODES and REDIS_TLS$`,
      ),
    },
  ],
] as const)('on %s with TLS and a password', (_, { topology, midRun, ...refused }) => {
  let h: Harness | undefined;
  let worker: RunningProcess | undefined;
  beforeAll(() => topology.start(), 120_000);
  afterAll(() => topology.stop());
  afterEach(async () => {
    if (worker) await stopProcess(worker);
    await h?.close();
    worker = undefined;
    h = undefined;
  });

  it(
    `indexes every torrent through pass 1${midRun?.what ?? ''}, 0 failed jobs, and \`minato status\` counts them`,
    async () => {
      h = await createHarness(topology.env);
      worker = (await startReadyWorker('ingest', { ...h.env, RECONCILE_EVERY_MS: '0' })).worker;
      await indexThroughPass1(h, midRun?.cause);
      await expectStatusCountsEverything(h.env);
    },
    RUN_TEST_MS,
  );

  it.each([
    ['the password', withoutPassword, refused.refusedWithoutPassword],
    ['TLS', withoutTls, refused.refusedWithoutTls],
  ])(
    'refuses `minato status` without %s: one line naming Redis at its address, the cause and the fix, exit status 4',
    async (_, env, says) => {
      h = await createHarness(topology.env);
      await expectRefused(h.env, env, says);
    },
  );
});
