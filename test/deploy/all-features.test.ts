import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { uniqueName } from '../support/test-env.js';
import { repoRoot } from '../support/worker-processes.js';
import { clusterState, helm, kubectl, kubectlJson } from './kube.js';

const run = promisify(execFile);
const chart = join(repoRoot, 'helm/minato-workers');
const release = 'minato-all-features';

// ci/all-features-values.yaml names what must exist beforehand; with exactly that, a real API server takes every
// object (CRD schemas, PodSecurity `restricted`, the PriorityClass). The images are fictitious
// (registry.example.com), so pods are created but never start: this checks acceptance, not behaviour.
describe('the chart with ci/all-features-values.yaml on the local cluster', () => {
  let namespace: string;
  const valuesArgs = ['-f', join(chart, 'ci/all-features-values.yaml')];

  beforeAll(async () => {
    await run(join(repoRoot, 'deploy/local/cluster-crds.sh'), { cwd: repoRoot });
    namespace = uniqueName('minato-all-features');
    await kubectl(['create', 'namespace', namespace]);
    await kubectl(['label', 'namespace', namespace, 'pod-security.kubernetes.io/enforce=restricted']);
    await kubectl(['create', 'priorityclass', 'minato-workers', '--value=1000']);
    await kubectl([
      ...['-n', namespace, 'create', 'secret', 'generic', 'minato-credentials'],
      '--from-literal=DATABASE_URL=postgres://minato:minato@postgresql:5432/minato',
      '--from-literal=TMDB_API_KEY=tmdb-key',
      '--from-literal=REDIS_PASSWORD=redis-password',
    ]);
    await kubectl([
      ...['-n', namespace, 'create', 'secret', 'docker-registry', 'registry-credentials'],
      ...['--docker-server=registry.example.com', '--docker-username=minato', '--docker-password=secret'],
    ]);
  });

  afterAll(async () => {
    await helm(['uninstall', release, '-n', namespace, '--wait']).catch(() => undefined);
    await kubectl(['delete', 'namespace', namespace, '--timeout=120s']).catch(() => undefined);
    await kubectl(['delete', 'priorityclass', 'minato-workers']).catch(() => undefined);
  });

  // The Redis modes an installation runs (docs/redis.md), each with KEDA's scaler of that mode: checked by the API
  // server itself (a server-side dry run: CRD schemas, admission), beside the render tests of helm-chart.test.ts.
  it.each([
    {
      mode: 'Sentinel',
      trigger: 'redis-sentinel',
      set: 'config.redis.sentinel.nodes={redis-node-0.redis-headless:26379,redis-node-1.redis-headless:26379},config.redis.sentinel.masterName=mymaster',
    },
    {
      mode: 'Cluster',
      trigger: 'redis-cluster',
      set: 'config.redis.cluster.nodes={redis-cluster-0:6379,redis-cluster-1:6379},config.redis.tls=true',
    },
  ])(
    'is accepted by the API server in Redis $mode mode, scaled by KEDA’s $trigger scaler',
    async ({ mode, trigger, set }) => {
      const manifest = await helm([
        ...['install', `${release}-${mode.toLowerCase()}`, chart, '-n', namespace, ...valuesArgs],
        ...['--set', set, '--no-hooks', '--dry-run=server'],
      ]);
      const kinds = parseAllDocuments(manifest.slice(manifest.indexOf('---')))
        .map((d) => d.toJS() as { kind: string; spec?: { triggers?: { type: string }[] } } | null)
        .filter((m) => m !== null);
      const triggers = kinds.filter((m) => m.kind === 'ScaledObject').flatMap((m) => m.spec?.triggers ?? []);
      expect(triggers.length).toBeGreaterThan(0);
      expect(new Set(triggers.map((t) => t.type))).toEqual(new Set([trigger]));
    },
  );

  it('is accepted whole by the API server, and each worker gets its pod under the PriorityClass', async () => {
    try {
      // No hooks: the migration Job would wait for an image that does not exist.
      await helm(['install', release, chart, '-n', namespace, ...valuesArgs, '--no-hooks']);
      const manifest = await helm(['get', 'manifest', release, '-n', namespace]);
      const rendered = parseAllDocuments(manifest)
        .map((d) => d.toJS() as { kind: string; metadata: { name: string } } | null)
        .filter((m) => m !== null);
      expect(rendered.map((m) => m.kind)).toEqual(
        expect.arrayContaining(['ScaledObject', 'TriggerAuthentication', 'ServiceMonitor', 'PrometheusRule']),
      );
      for (const { kind, metadata } of rendered) {
        await kubectl(['-n', namespace, 'get', kind, metadata.name]);
      }
      const pods = await kubectlJson<{
        items: { spec: { priorityClassName?: string; priority?: number } }[];
      }>([...['-n', namespace, 'get', 'pods', '-l', `app.kubernetes.io/instance=${release}`]]);
      // Autoscalers own the counts (and no KEDA runs here), so each Deployment starts at Kubernetes' default of one.
      expect(pods.items).toHaveLength(3);
      for (const pod of pods.items) {
        expect(pod.spec).toMatchObject({ priorityClassName: 'minato-workers', priority: 1000 });
      }
      const events = await kubectl([
        '-n',
        namespace,
        'get',
        'events',
        '--field-selector',
        'reason=FailedCreate',
      ]);
      expect(events).not.toMatch(/forbidden|violates/);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n\n${await clusterState(namespace)}`, { cause: error });
    }
  });
});
