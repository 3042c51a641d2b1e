import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startTmdbFake, type TmdbFake } from '@minato/tmdb-fake';
import { hashPassword } from '../../packages/console/src/password-hash.js';
import { createLogger, syntheticInfoHash, TokenBucket, tmdbBucketKey } from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { statusOf } from '../support/pipeline-status.js';
import { describeWindow, tightestWindow } from '../support/rate-windows.js';
import { uniqueName } from '../support/test-env.js';
import { repoRoot } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';
import { clusterState, followLogs, helm, kubeDir, kubectl, kubectlJson, localValues } from './kube.js';

// The README's "Deploy" section, run against the local cluster (`make cluster`) with the images of `make images`.
const release = 'minato-workers';
const chart = join(repoRoot, 'helm/minato-workers');
const workers = ['ingest', 'enrichment', 'sync'] as const;
type Worker = (typeof workers)[number];
// A small, fast TMDB bucket: the budget check has the same shape at any size.
const capacity = 10;
const refill = 10;
// The console's one user: the chart gets only the scrypt hash, as an operator's values would.
const consoleUser = { name: 'operator', password: 'deploy-tier-console-password' };

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The jobs of `queue` a worker completed, from its Prometheus text. */
function completedJobs(metrics: string, queue: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('minato_jobs_processed_total{'))
    .filter((line) => line.includes(`queue="${queue}"`) && line.includes('outcome="completed"'))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

interface Pod {
  metadata: { name: string; deletionTimestamp?: string; annotations?: Record<string, string> };
  status: { podIP?: string; conditions?: { type: string; status: string }[] };
}
interface DeploymentStatus {
  metadata: { annotations?: Record<string, string> };
  status: { readyReplicas?: number; replicas?: number; conditions?: { type: string; status: string }[] };
}

describe('the chart installed on a one-node Kubernetes under PodSecurity restricted', () => {
  let h: Harness;
  let tmdb: TmdbFake;
  let namespace: string;
  let schema: string;
  let dir: string;
  let valuesFiles: string[];
  let databaseUrl: URL;
  let seeded = 0;

  const deployment = (component: Worker | 'console') => `deployment/${release}-${component}`;
  const pods = async (component: Worker | 'console') =>
    (
      await kubectlJson<{ items: Pod[] }>([
        '-n',
        namespace,
        'get',
        'pods',
        '-l',
        `app.kubernetes.io/instance=${release},app.kubernetes.io/component=${component}`,
      ])
    ).items;
  const scale = async (worker: Worker, replicas: number) => {
    await kubectl(['-n', namespace, 'scale', deployment(worker), `--replicas=${replicas}`]);
    await kubectl(['-n', namespace, 'rollout', 'status', deployment(worker), '--timeout=180s']);
  };
  const status = () => statusOf(h);
  /** Every seeded row indexed, every queue empty, and both stores agreeing on enrichment. */
  const settled = (what: string) =>
    waitFor(
      what,
      async () => {
        const s = await status();
        const busy = Object.values(s.queues).some((q) => q.waiting + q.active + q.delayed > 0);
        return !busy && s.postgres.indexed === seeded && s.postgres.matched === s.elasticsearch.matched
          ? s
          : null;
      },
      { timeoutMs: 240_000, intervalMs: 1_000 },
    );
  const seed = async (torrents: Parameters<Harness['seed']>[0], seedValue?: number) => {
    const rows = await h.seed(torrents, seedValue);
    seeded += rows.length;
    await h.enqueueIngest(rows.map((t) => t.infoHash));
    return rows;
  };
  const failedJobs = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(h.queues).map(async ([name, q]) => [name, (await q.getJobCounts('failed')).failed]),
      ),
    ) as Record<string, number>;
  const noFailedJobs = { TORRENT_INGEST: 0, CLASSIFY: 0, ES_SYNC: 0 };
  const migrateJobsCompleted = async () =>
    (
      await kubectlJson<{ items: { reason: string }[] }>([
        '-n',
        namespace,
        'get',
        'events',
        '--field-selector',
        `involvedObject.kind=Job,involvedObject.name=${release}-migrate`,
      ])
    ).items.filter((e) => e.reason === 'Completed').length;

  /** A failing step carries what an operator would look at: objects, events, pod descriptions and logs. */
  const step = (name: string, body: () => Promise<void>, enabled = true) =>
    it.runIf(enabled)(name, async () => {
      try {
        await body();
      } catch (error) {
        throw new Error(`${(error as Error).message}\n\n${await clusterState(namespace)}`, { cause: error });
      }
    });

  beforeAll(async () => {
    h = await createHarness();
    schema = new URL(h.env.DATABASE_URL).searchParams.get('search_path') ?? '';
    // The chart's migrate Job, not the harness, is to create the tables.
    await h.sql.unsafe(`DROP SCHEMA ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    const local = localValues();
    const hostAddress = local.config.redis.host;
    tmdb = await startTmdbFake({ port: 0, host: hostAddress });
    namespace = uniqueName('minato-deploy');
    await kubectl(['create', 'namespace', namespace]);
    await kubectl(['label', 'namespace', namespace, 'pod-security.kubernetes.io/enforce=restricted']);
    databaseUrl = new URL(h.env.DATABASE_URL);
    databaseUrl.hostname = hostAddress;
    dir = await mkdtemp(join(tmpdir(), 'minato-deploy-'));
    const testValues = join(dir, 'values.yaml');
    await writeFile(
      testValues,
      stringify({
        config: {
          queuePrefix: h.env.QUEUE_PREFIX,
          elasticsearch: { index: h.env.ELASTICSEARCH_INDEX },
          tmdb: { baseUrl: tmdb.baseUrl, rateCapacity: capacity, rateRefillPerSec: refill },
          reconcileEveryMs: 0,
        },
        secrets: { databaseUrl: databaseUrl.toString() },
        console: {
          enabled: true,
          auth: { mode: 'basic', users: `${consoleUser.name}:${await hashPassword(consoleUser.password)}` },
        },
      }),
    );
    valuesFiles = ['-f', join(kubeDir, 'values-local.yaml'), '-f', testValues];
  });

  afterAll(async () => {
    await helm(['uninstall', release, '-n', namespace, '--wait']).catch(() => undefined);
    await kubectl(['delete', 'namespace', namespace, '--timeout=120s']).catch(() => undefined);
    await tmdb?.close();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  step(
    'installs with hooks: the migrate Job creates the schema, then the three workers and the console become Available',
    async () => {
      await helm(['install', release, chart, '-n', namespace, ...valuesFiles, '--wait', '--timeout', '4m']);
      const [table] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM information_schema.tables
      WHERE table_schema = ${schema} AND table_name = 'torrents'`;
      expect(table?.n).toBe(1);
      expect(await migrateJobsCompleted()).toBe(1);
      for (const component of [...workers, 'console'] as const) {
        const { status: s } = await kubectlJson<DeploymentStatus>([
          '-n',
          namespace,
          'get',
          deployment(component),
        ]);
        expect(s.conditions?.find((c) => c.type === 'Available')?.status, component).toBe('True');
      }
    },
  );

  step(
    'moves torrents seeded on the host through the pods into Elasticsearch, enriched against the fake',
    async () => {
      await seed(300, 11);
      const final = await settled('the pods to index and enrich 300 torrents');
      expect(final.postgres).toMatchObject({ torrents: 300, indexed: 300 });
      expect(final.elasticsearch.docs).toBe(300);
      expect(final.postgres.enriched).toBeGreaterThan(0);
      expect(tmdb.requests.some((r) => r.path.startsWith('/3/search/'))).toBe(true);
      expect(await failedJobs()).toEqual(noFailedJobs);
    },
  );

  step(
    'serves the console under PodSecurity restricted only to its user: 401 without credentials, the counts with them',
    async () => {
      const [pod] = await pods('console');
      const url = `http://${pod!.status.podIP}:8080/`;
      const anonymous = await fetch(url);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
      const wrong = await fetch(url, {
        headers: { authorization: basic(consoleUser.name, 'not-the-password') },
      });
      expect(wrong.status).toBe(401);
      const page = await fetch(url, {
        headers: { authorization: basic(consoleUser.name, consoleUser.password) },
      });
      expect(page.status).toBe(200);
      // What the pods did, read by the console in the cluster from the same stores.
      expect(await page.text()).toMatch(new RegExp(`<dt>PostgreSQL torrents</dt>\\s*<dd>${seeded}</dd>`));
    },
  );

  step('scales enrichment to three Ready replicas that all work and share one TMDB budget', async () => {
    await scale('enrichment', 3);
    const replicas = await pods('enrichment');
    expect(
      replicas.filter((p) => p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')),
    ).toHaveLength(3);
    tmdb.reset();
    await seed(
      Array.from({ length: 150 }, (_, i) => ({
        infoHash: syntheticInfoHash(`deploy-distinct-title-${i}`),
        title: `Unreleased Film Number ${i + 1} ${1950 + (i % 70)} 1080p BluRay x264-GRP`,
        size: 1,
      })),
    );
    await settled('three enrichment replicas to classify 150 distinct titles');
    // The three pods' shared bucket, read from its own ledger on Redis time: the exact bound, no slack.
    const { grants } = await new TokenBucket({
      redis: h.redis,
      key: tmdbBucketKey(tmdb.baseUrl, 'minato-dev-key'),
      capacity,
      refillPerSecond: refill,
      logger: createLogger({ level: 'silent', format: 'json' }),
    }).ledger();
    expect(tmdb.requests.length).toBeGreaterThanOrEqual(150);
    expect(tmdb.requests.length).toBeLessThanOrEqual(grants.length);
    const tightest = tightestWindow(grants, capacity, refill);
    console.info(describeWindow('three pods', tightest));
    expect(tightest.count).toBeLessThanOrEqual(tightest.allowed);
    for (const pod of replicas) {
      const metrics = await (await fetch(`http://${pod.status.podIP}:9464/metrics`)).text();
      expect(completedJobs(metrics, 'CLASSIFY'), pod.metadata.name).toBeGreaterThan(0);
    }
    expect(await failedJobs()).toEqual(noFailedJobs);
  });

  step(
    'scaling ingest down while it works drains the removed pod through preStop, with no failed job',
    async () => {
      await scale('ingest', 2);
      const logs = (await pods('ingest')).map((p) => ({
        pod: p.metadata.name,
        ...followLogs(namespace, p.metadata.name),
      }));
      try {
        const before = seeded;
        // Releases that pass 2 leaves alone (no video), so the step measures pass 1 only.
        await seed(
          Array.from({ length: 20_000 }, (_, i) => ({
            infoHash: syntheticInfoHash(`deploy-drain-${i}`),
            title: `Ubuntu 24.04.1 Desktop amd64 ISO build ${i}`,
            size: 1,
          })),
        );
        await waitFor('ingest to be under way', async () => {
          const counts = await h.queues.TORRENT_INGEST.getJobCounts('completed', 'waiting');
          return (counts.completed ?? 0) >= 1_000 && (counts.waiting ?? 0) > 0;
        });
        await kubectl(['-n', namespace, 'scale', deployment('ingest'), '--replicas=1']);
        const removed = await Promise.race(logs.map(async (l) => ({ pod: l.pod, output: await l.done })));
        expect(removed.output, removed.pod).toMatch(/"msg":"drained"/);
        expect(removed.output, removed.pod).not.toMatch(/drain deadline reached/);
        const final = await settled(`the remaining ingest pod to index ${seeded - before} more torrents`);
        expect(final.elasticsearch.docs).toBe(seeded);
        expect(await failedJobs()).toEqual(noFailedJobs);
        const events = await kubectl([
          '-n',
          namespace,
          'get',
          'events',
          '--field-selector',
          'reason=FailedPreStopHook',
        ]);
        expect(events).not.toMatch(/ingest/);
      } finally {
        for (const l of logs) l.stop();
      }
    },
  );

  step('rolls every pod on a helm upgrade with a changed value, with no failed job', async () => {
    const revision = async (component: Worker | 'console') =>
      Number(
        (await kubectlJson<DeploymentStatus>(['-n', namespace, 'get', deployment(component)])).metadata
          .annotations?.['deployment.kubernetes.io/revision'],
      );
    const components = [...workers, 'console'] as const;
    const before = await Promise.all(components.map(revision));
    await seed(5_000, 29);
    await helm([
      'upgrade',
      release,
      chart,
      '-n',
      namespace,
      ...valuesFiles,
      '--set',
      'config.logLevel=debug',
      '--wait',
      '--timeout',
      '4m',
    ]);
    expect(await Promise.all(components.map(revision))).toEqual(before.map((r) => r + 1));
    expect(await migrateJobsCompleted()).toBe(2);
    const final = await settled('the rolled pods to index 5,000 more torrents');
    expect(final.elasticsearch.docs).toBe(seeded);
    expect(await failedJobs()).toEqual(noFailedJobs);
  });

  step(
    'scales enrichment with KEDA from 1 to 4 replicas on a CLASSIFY backlog, and back to 1 once it drains',
    async () => {
      // KEDA runs on the host (`cluster.sh keda`), so it reaches Redis on 127.0.0.1; short windows keep the test short.
      const keda = [
        'workers.enrichment.keda.enabled=true',
        'keda.redisAddress=127.0.0.1:6379',
        'keda.redisPasswordFromSecret=false',
        'keda.pollingInterval=2',
        'keda.scaleDownStabilizationSeconds=5',
        'keda.scaleDownPeriodSeconds=5',
      ];
      await helm([
        ...['upgrade', release, chart, '-n', namespace, ...valuesFiles],
        ...['--set', 'config.logLevel=debug', ...keda.flatMap((v) => ['--set', v])],
        ...['--wait', '--timeout', '4m'],
      ]);
      const replicas = async () =>
        (await kubectlJson<DeploymentStatus>(['-n', namespace, 'get', deployment('enrichment')])).status;
      await waitFor(
        'KEDA to hold enrichment at its minimum of 1',
        async () => (await replicas()).replicas === 1,
        {
          timeoutMs: 60_000,
          intervalMs: 1_000,
        },
      );
      // Slow TMDB answers keep 250 distinct titles waiting: 5 times the 50 jobs per replica KEDA aims for.
      tmdb.setMode({ mode: 'slow', delayMs: 3_000 });
      await seed(
        Array.from({ length: 250 }, (_, i) => ({
          infoHash: syntheticInfoHash(`deploy-keda-title-${i}`),
          title: `Unreleased Feature Number ${i + 1} ${1950 + (i % 70)} 1080p WEB-DL x264-GRP`,
          size: 1,
        })),
      );
      await waitFor('4 Ready enrichment replicas', async () => (await replicas()).readyReplicas === 4, {
        timeoutMs: 120_000,
        intervalMs: 1_000,
      });
      tmdb.setMode('ok');
      await settled('four replicas to drain the CLASSIFY backlog');
      await waitFor('KEDA to scale enrichment back to 1', async () => (await replicas()).replicas === 1, {
        timeoutMs: 120_000,
        intervalMs: 1_000,
      });
      expect(await failedJobs()).toEqual(noFailedJobs);
    },
    // KEDA's operator is built from source (tens of minutes cold): `make test-deploy DEPLOY_KEDA=1` includes it.
    process.env.DEPLOY_KEDA === '1',
  );

  step('fails an install whose PostgreSQL is unreachable, naming it in the migrate Job', async () => {
    const unreachable = new URL(databaseUrl);
    unreachable.port = '1';
    await expect(
      helm([
        'install',
        `${release}-unreachable`,
        chart,
        '-n',
        namespace,
        ...valuesFiles,
        '--set',
        `secrets.databaseUrl=${unreachable.toString()}`,
        '--set',
        'migrate.backoffLimit=0',
        '--wait',
        '--timeout',
        '2m',
      ]),
    ).rejects.toThrow(/BackoffLimitExceeded/);
    const log = await kubectl([
      '-n',
      namespace,
      'logs',
      `job/${release}-unreachable-migrate`,
      '-c',
      'check-postgres',
    ]);
    expect(log).toContain(`cannot reach PostgreSQL: ${unreachable.hostname}:1 (from DATABASE_URL)`);
    await helm(['uninstall', `${release}-unreachable`, '-n', namespace, '--no-hooks', '--wait']);
    await kubectl([
      '-n',
      namespace,
      'delete',
      'job,secret',
      '-l',
      `app.kubernetes.io/instance=${release}-unreachable`,
    ]);
  });

  step('leaves nothing of the release behind on helm uninstall', async () => {
    await helm(['uninstall', release, '-n', namespace, '--wait', '--timeout', '3m']);
    // What the namespace itself comes with: its CA bundle ConfigMap and default ServiceAccount.
    const own = new Set(['configmap/kube-root-ca.crt', 'serviceaccount/default']);
    await waitFor(
      'the namespace to hold nothing but its own defaults',
      async () => {
        const left = await kubectl([
          '-n',
          namespace,
          'get',
          'pods,deployments,replicasets,jobs,services,endpointslices,configmaps,secrets,serviceaccounts,poddisruptionbudgets,horizontalpodautoscalers',
          '-o',
          'name',
        ]);
        return left.split('\n').filter((name) => name && !own.has(name)).length === 0;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
  });
});
