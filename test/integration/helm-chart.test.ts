import { execFile } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Job, type IJob } from 'kubernetes-models/batch/v1';
import {
  ScaledObject,
  TriggerAuthentication,
  type IScaledObject,
} from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { configSchema } from '@minato/core';
import {
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const helmBin = join(root, '.cache/bin/helm');
const chart = join(root, 'helm/minato-workers');
const alertsFile = join(root, 'deploy/prometheus/alerts.yml');
// A helm built with `go install` has no ldflags and believes the cluster is Kubernetes 1.20, below the chart's
// kubeVersion; naming the version also keeps the rendering independent of how helm was built.
const kubeVersion = '1.31.0';
// Time allowed for the last bulk flush after the buffer's maximum wait (the chart's default flushAllowanceMs).
const flushAllowanceMs = 10_000;
const queueOf = { ingest: 'TORRENT_INGEST', enrichment: 'CLASSIFY', sync: 'ES_SYNC' } as const;
type WorkerName = keyof typeof queueOf;
const workerNames = Object.keys(queueOf) as WorkerName[];

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  [field: string]: unknown;
}
type Validatable = { validate(): void };
// Every kind the chart renders, with the kubernetes-models class whose JSON schema validates it offline.
const models: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'batch/v1/Job': Job,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

async function helm(args: string[]): Promise<string> {
  const { stdout } = await run(helmBin, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function render(valueArgs: string[]): Promise<Manifest[]> {
  const out = await helm([
    'template',
    'minato-workers',
    chart,
    '--namespace',
    'minato',
    '--kube-version',
    kubeVersion,
    ...valueArgs,
  ]);
  return parseAllDocuments(out)
    .map((doc) => {
      if (doc.errors.length > 0)
        throw new Error(`helm rendered invalid YAML: ${doc.errors[0]?.message ?? ''}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}

const ofKind = <T>(manifests: Manifest[], kind: string) =>
  manifests.filter((m) => m.kind === kind) as unknown as T[];

function workerOf(name: string): WorkerName {
  const worker = workerNames.find((w) => name.endsWith(`-${w}`));
  if (!worker) throw new Error(`${name} names no worker`);
  return worker;
}

// The chart refuses to install without a database URL and a TMDB key (or an existing Secret holding them).
const requiredSecrets = [
  '--set',
  'secrets.databaseUrl=postgres://minato:minato@postgresql:5432/minato',
  '--set',
  'secrets.tmdbApiKey=tmdb-key',
];

const valueSets = [
  { label: 'default values and the required secrets', args: requiredSecrets, existingSecret: undefined },
  {
    label: 'ci/all-features-values.yaml',
    args: ['-f', join(chart, 'ci/all-features-values.yaml')],
    existingSecret: 'minato-credentials',
  },
];

beforeAll(async () => {
  // Installs helm on a fresh machine (`go install`, a few minutes); returns at once when it is there.
  await run(join(root, 'deploy/local/tools.sh'), ['helm'], { cwd: root });
  await access(helmBin);
}, 900_000);

describe.each(valueSets)('the Helm chart with $label', ({ args, existingSecret }) => {
  let manifests: Manifest[];
  let deployments: IDeployment[];
  let config: Record<string, string>;
  beforeAll(async () => {
    manifests = await render(args);
    deployments = ofKind<IDeployment>(manifests, 'Deployment');
    const configMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-config'));
    config = (configMap?.data ?? {}) as Record<string, string>;
  });

  it('passes helm lint --strict', async () => {
    const out = await helm(['lint', '--strict', chart, '--kube-version', kubeVersion, ...args]);
    expect(out).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('renders only manifests that validate against their Kubernetes API or CRD schema', () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const manifest of manifests) {
      const key = `${manifest.apiVersion}/${manifest.kind}`;
      const Model = models[key];
      if (!Model) throw new Error(`no schema to validate ${key} ${manifest.metadata.name} against`);
      expect(() => new Model(manifest as never).validate(), `${key} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('renders one Deployment per worker, running as non-root with CPU and memory limits', () => {
    expect(deployments.map((d) => workerOf(d.metadata?.name ?? '')).sort()).toEqual([...workerNames].sort());
    for (const deployment of deployments) {
      const pod = deployment.spec?.template.spec;
      expect(pod?.automountServiceAccountToken).toBe(false);
      expect(pod?.securityContext?.seccompProfile?.type).toBe('RuntimeDefault');
      for (const container of pod?.containers ?? []) {
        const security = container.securityContext;
        expect(security?.runAsNonRoot ?? pod?.securityContext?.runAsNonRoot).toBe(true);
        expect(security?.runAsUser ?? pod?.securityContext?.runAsUser).toBeGreaterThan(0);
        expect(security?.allowPrivilegeEscalation).toBe(false);
        expect(security?.readOnlyRootFilesystem).toBe(true);
        expect(security?.capabilities?.drop).toContain('ALL');
        expect(container.resources?.limits?.cpu).toBeDefined();
        expect(container.resources?.limits?.memory).toBeDefined();
        expect(container.volumeMounts?.map((v) => v.mountPath)).toContain('/tmp');
        expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
        expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
        const concurrency = `${workerOf(deployment.metadata?.name ?? '').toUpperCase()}_CONCURRENCY`;
        expect(container.env?.map((e) => e.name)).toContain(concurrency);
      }
    }
  });

  it('labels every pod with the recommended app.kubernetes.io set and the chart label', () => {
    const [job] = ofKind<IJob>(manifests, 'Job');
    const pods = [...deployments, job].map((owner) => owner?.spec?.template.metadata?.labels ?? {});
    for (const labels of pods) {
      for (const key of ['name', 'instance', 'component', 'version', 'managed-by', 'part-of'])
        expect(labels[`app.kubernetes.io/${key}`], key).toBeTruthy();
      expect(labels['helm.sh/chart']).toMatch(/^minato-workers-/);
    }
    for (const deployment of deployments) {
      const podLabels = deployment.spec?.template.metadata?.labels ?? {};
      expect(podLabels).toMatchObject(deployment.spec?.selector.matchLabels ?? {});
    }
  });

  it('drains each worker by a signal from its own preStop hook and gives it longer than the longest drain before SIGKILL', () => {
    const shutdownTimeoutMs = Number(config.SHUTDOWN_TIMEOUT_MS);
    const maxWaitMs = Number(config.ES_BUFFER_MAX_WAIT_MS);
    expect(shutdownTimeoutMs).toBeGreaterThan(0);
    expect(maxWaitMs).toBeGreaterThan(0);
    for (const deployment of deployments) {
      const pod = deployment.spec?.template.spec;
      const graceMs = (pod?.terminationGracePeriodSeconds ?? 30) * 1000;
      expect(graceMs).toBeGreaterThan(shutdownTimeoutMs);
      expect(graceMs).toBeGreaterThan(maxWaitMs + flushAllowanceMs);
      for (const container of pod?.containers ?? []) {
        // A signal from inside the pod: no HTTP path, which anything that reaches the metrics port could call.
        expect(container.lifecycle?.preStop?.httpGet).toBeUndefined();
        expect(container.lifecycle?.preStop?.exec?.command).toEqual(['/bin/sh', '-c', 'kill -TERM 1']);
        expect(container.envFrom?.map((source) => source.configMapRef?.name)).toContain(
          manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-config'))?.metadata.name,
        );
      }
    }
  });

  it('points each HPA and ScaledObject at its own Deployment, and never both at one', () => {
    const hpas = ofKind<IHorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler');
    const scaledObjects = ofKind<IScaledObject>(manifests, 'ScaledObject');
    const deploymentNames = deployments.map((d) => d.metadata?.name);
    for (const scaler of [...hpas, ...scaledObjects]) {
      const name = scaler.metadata?.name ?? '';
      expect(scaler.spec?.scaleTargetRef.name).toBe(name);
      expect(deploymentNames).toContain(name);
      expect(scaler.spec?.scaleTargetRef.kind ?? 'Deployment').toBe('Deployment');
    }
    const scaled = [...hpas, ...scaledObjects].map((s) => s.metadata?.name);
    expect(new Set(scaled).size).toBe(scaled.length);
    // An autoscaler owns the replica count: the Deployment must not reset it on every upgrade.
    for (const deployment of deployments) {
      expect(deployment.spec?.replicas === undefined).toBe(scaled.includes(deployment.metadata?.name));
    }
  });

  it("scales with KEDA on the worker's own bull:<QUEUE>:wait list and bull:<QUEUE>:prioritized set", () => {
    const authentications = manifests
      .filter((m) => m.kind === 'TriggerAuthentication')
      .map((m) => m.metadata.name);
    for (const scaledObject of ofKind<IScaledObject>(manifests, 'ScaledObject')) {
      const queue = queueOf[workerOf(scaledObject.metadata?.name ?? '')];
      const triggers = scaledObject.spec?.triggers ?? [];
      expect(triggers.map((t) => t.type)).toEqual(['redis', 'redis']);
      expect(triggers.map((t) => t.metadata.listName)).toEqual([
        `bull:${queue}:wait`,
        `bull:${queue}:prioritized`,
      ]);
      for (const trigger of triggers) {
        expect(Number(trigger.metadata.listLength)).toBeGreaterThan(0);
        if (trigger.authenticationRef) expect(authentications).toContain(trigger.authenticationRef.name);
      }
    }
  });

  it('runs `minato migrate` as a pre-install and pre-upgrade hook Job', () => {
    const [job] = ofKind<IJob>(manifests, 'Job');
    const annotations = job?.metadata?.annotations ?? {};
    expect(annotations['helm.sh/hook']?.split(',').sort()).toEqual(['pre-install', 'pre-upgrade']);
    expect(annotations['helm.sh/hook-delete-policy']).toContain('before-hook-creation');
    const container = job?.spec?.template.spec?.containers[0];
    expect(container?.args).toEqual(['migrate']);
    expect(container?.securityContext?.runAsNonRoot).toBe(true);
    // Before the migration, a check that names PostgreSQL when it cannot be reached.
    const check = job?.spec?.template.spec?.initContainers?.[0];
    expect(check?.name).toBe('check-postgres');
    expect(check?.command?.join(' ')).toMatch(/cannot reach PostgreSQL/);
    expect(check?.terminationMessagePolicy).toBe('FallbackToLogsOnError');
    // A hook runs before the release's resources exist: its Secret must be a hook itself, or pre-exist.
    const secretName = container?.envFrom?.[0]?.secretRef?.name;
    if (existingSecret) {
      expect(secretName).toBe(existingSecret);
    } else {
      const hookSecret = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === secretName);
      expect(hookSecret?.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(Number(hookSecret?.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
        Number(annotations['helm.sh/hook-weight'] ?? 0),
      );
    }
  });
});

describe('the Helm chart refuses unsafe values', () => {
  it('fails to render when the grace period is shorter than the drain', async () => {
    await expect(
      render([...requiredSecrets, '--set', 'shutdown.terminationGracePeriodSeconds=20']),
    ).rejects.toThrow(/terminationGracePeriodSeconds must exceed 25000ms/);
  });

  it('takes the queue names from the code, refusing a workers.<name>.queue value (values.schema.json)', async () => {
    await expect(render([...requiredSecrets, '--set', 'workers.enrichment.queue=ES_SYNC'])).rejects.toThrow(
      /additional properties 'queue' not allowed/,
    );
  });

  it('refuses an enabled enrichment worker without secrets.tmdbApiKey or existingSecret', async () => {
    const withoutKey = ['--set', 'secrets.databaseUrl=postgres://minato:minato@postgresql:5432/minato'];
    await expect(render(withoutKey)).rejects.toThrow(/secrets.tmdbApiKey is required/);
    const noEnrichment = await render([...withoutKey, '--set', 'workers.enrichment.enabled=false']);
    expect(ofKind<IDeployment>(noEnrichment, 'Deployment').map((d) => d.metadata?.name)).not.toContain(
      'minato-workers-enrichment',
    );
    expect(await render(['--set', 'existingSecret=minato-credentials'])).not.toHaveLength(0);
  });

  it('refuses to install without secrets.databaseUrl or existingSecret', async () => {
    await expect(render(['--set', 'secrets.tmdbApiKey=tmdb-key'])).rejects.toThrow(
      /secrets.databaseUrl is required/,
    );
  });

  it('embeds the alert rules of deploy/prometheus/alerts.yml in its PrometheusRule', async () => {
    const rule = (await render([...requiredSecrets, '--set', 'metrics.prometheusRule.enabled=true'])).find(
      (m) => m.kind === 'PrometheusRule',
    );
    expect(rule?.spec).toEqual(parse(await readFile(alertsFile, 'utf8')));
  });
});

describe('the Helm chart reaches every setting', () => {
  const containersOf = (manifests: Manifest[]) => {
    const job = ofKind<IJob>(manifests, 'Job')[0];
    const pods = [...ofKind<IDeployment>(manifests, 'Deployment'), job].map(
      (owner) => owner?.spec?.template.spec,
    );
    return { job: job?.spec?.template.spec, pods };
  };
  const envOf = (container: { env?: { name: string; value?: string }[] } | undefined) =>
    Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));

  it('gives every environment variable of the config schema a chart value', async () => {
    const manifests = await render([
      ...requiredSecrets,
      '--set',
      'config.redis.caFile=/etc/minato/redis-ca.pem',
      '--set',
      'config.elasticsearch.caFile=/etc/minato/es-ca.pem',
      // The console's own variables render in its Deployment only.
      '--set',
      'console.enabled=true',
      '--set',
      'console.auth.users=dev:scrypt$0',
    ]);
    const configMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-config'));
    const secret = manifests.find((m) => m.kind === 'Secret' && m.metadata.name.endsWith('-secrets'));
    const rendered = new Set([
      ...Object.keys(configMap?.data ?? {}),
      ...Object.keys(secret?.data ?? {}),
      ...ofKind<IDeployment>(manifests, 'Deployment').flatMap((d) =>
        (d.spec?.template.spec?.containers ?? []).flatMap((c) => (c.env ?? []).map((e) => e.name)),
      ),
    ]);
    // Variables left to extraEnv on purpose, each named in the README's configuration table: none today.
    const viaExtraEnv: string[] = [];
    const missing = Object.keys(configSchema.shape).filter(
      (v) => !rendered.has(v) && !viaExtraEnv.includes(v),
    );
    expect(missing).toEqual([]);
    // …and the README's configuration table names each beside its chart value (a row of four columns).
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
    const undocumented = Object.keys(configSchema.shape).filter(
      (v) => !rows.some((row) => row.split('|')[1]?.includes(`\`${v}\``) && row.split('|').length >= 6),
    );
    expect(undocumented).toEqual([]);
  });

  it('mounts extraVolumes in every worker and in both containers of the migration Job, with extraEnv there too', async () => {
    const manifests = await render([
      ...requiredSecrets,
      '--set-json',
      'extraVolumes=[{"name":"private-ca","secret":{"secretName":"private-ca"}}]',
      '--set-json',
      'extraVolumeMounts=[{"name":"private-ca","mountPath":"/etc/minato","readOnly":true}]',
      '--set-json',
      'extraEnv=[{"name":"NODE_EXTRA_CA_CERTS","value":"/etc/minato/pg-ca.pem"}]',
      '--set-json',
      'workers.sync.extraVolumes=[{"name":"sync-only","emptyDir":{}}]',
      '--set-json',
      'workers.sync.extraVolumeMounts=[{"name":"sync-only","mountPath":"/sync"}]',
      '--set-json',
      'migrate.extraEnv=[{"name":"PGCONNECT_TIMEOUT","value":"10"}]',
    ]);
    const { job, pods } = containersOf(manifests);
    for (const pod of pods) {
      expect(pod?.volumes?.map((v) => v.name)).toContain('private-ca');
      for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
        expect(
          container.volumeMounts?.map((m) => m.mountPath),
          container.name,
        ).toContain('/etc/minato');
        expect(envOf(container).NODE_EXTRA_CA_CERTS, container.name).toBe('/etc/minato/pg-ca.pem');
      }
    }
    for (const container of [...(job?.initContainers ?? []), ...(job?.containers ?? [])]) {
      expect(envOf(container).PGCONNECT_TIMEOUT, container.name).toBe('10');
    }
    const sync = ofKind<IDeployment>(manifests, 'Deployment').find((d) =>
      d.metadata?.name?.endsWith('-sync'),
    );
    const ingest = ofKind<IDeployment>(manifests, 'Deployment').find((d) =>
      d.metadata?.name?.endsWith('-ingest'),
    );
    expect(sync?.spec?.template.spec?.volumes?.map((v) => v.name)).toContain('sync-only');
    expect(ingest?.spec?.template.spec?.volumes?.map((v) => v.name)).not.toContain('sync-only');
  });

  it('turns on Redis TLS for the workers, the migration and KEDA from config.redis.tls', async () => {
    const manifests = await render([
      ...requiredSecrets,
      '--set',
      'config.redis.tls=true',
      '--set',
      'config.redis.caFile=/etc/minato/redis-ca.pem',
      '--set',
      'keda.enabled=true',
    ]);
    const configMap = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name.endsWith('-config'));
    expect(configMap?.data).toMatchObject({ REDIS_TLS: 'true', REDIS_CA_FILE: '/etc/minato/redis-ca.pem' });
    expect(envOf(containersOf(manifests).job?.containers[0]).REDIS_TLS).toBe('true');
    const triggers = ofKind<IScaledObject>(manifests, 'ScaledObject').flatMap((o) => o.spec?.triggers ?? []);
    expect(triggers.length).toBeGreaterThan(0);
    for (const trigger of triggers) {
      expect(trigger.metadata.enableTLS).toBe('true');
      expect(trigger.metadata.databaseIndex).toBeUndefined();
    }
  });

  it('gives each kind of worker its own Elasticsearch key, from the chart Secret or an existing one', async () => {
    const ownKey = await render([
      ...requiredSecrets,
      '--set',
      'workers.sync.secrets.elasticsearchApiKey=sync-key',
    ]);
    const secret = ownKey.find((m) => m.kind === 'Secret' && m.metadata.name.endsWith('-secrets'));
    expect((secret?.data as Record<string, string>).ELASTICSEARCH_API_KEY_SYNC).toBe(
      Buffer.from('sync-key').toString('base64'),
    );
    const keyRef = (manifests: Manifest[], worker: WorkerName) =>
      ofKind<IDeployment>(manifests, 'Deployment')
        .find((d) => d.metadata?.name?.endsWith(`-${worker}`))
        ?.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'ELASTICSEARCH_API_KEY')?.valueFrom
        ?.secretKeyRef;
    expect(keyRef(ownKey, 'sync')).toEqual({
      name: 'minato-workers-secrets',
      key: 'ELASTICSEARCH_API_KEY_SYNC',
    });
    expect(keyRef(ownKey, 'ingest')).toBeUndefined();
    const existing = await render([
      '--set',
      'existingSecret=minato-credentials',
      '--set',
      'workers.ingest.secretKeys.ELASTICSEARCH_API_KEY=ES_KEY_INGEST',
    ]);
    expect(keyRef(existing, 'ingest')).toEqual({ name: 'minato-credentials', key: 'ES_KEY_INGEST' });
  });

  it('rolls the pods when a value of the chart Secret changes (checksum), and reads existingSecret at upgrade', async () => {
    const checksum = async (args: string[]) =>
      ofKind<IDeployment>(await render(args), 'Deployment').map(
        (d) => d.spec?.template.metadata?.annotations?.['checksum/secret'],
      );
    const before = await checksum(requiredSecrets);
    const after = await checksum([...requiredSecrets, '--set', 'secrets.redisPassword=changed']);
    expect(before.every(Boolean)).toBe(true);
    expect(after.every((c, i) => c !== before[i])).toBe(true);
    // `helm template` cannot read the cluster: no checksum of an existingSecret (README: rollout restart).
    expect(
      (await checksum(['--set', 'existingSecret=minato-credentials'])).every((c) => c === undefined),
    ).toBe(true);
  });

  it('tags every image with the appVersion, which is the version of every package (the release)', async () => {
    const chartYaml = parse(await readFile(join(chart, 'Chart.yaml'), 'utf8')) as { appVersion: string };
    for (const name of ['core', 'cli', 'ingest-worker', 'enrichment-worker', 'sync-worker']) {
      const pkg = JSON.parse(await readFile(join(root, `packages/${name}/package.json`), 'utf8')) as {
        version: string;
      };
      expect(pkg.version, name).toBe(chartYaml.appVersion);
    }
    const { pods } = containersOf(await render(requiredSecrets));
    for (const pod of pods) {
      for (const container of [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]) {
        expect(container.image?.endsWith(`:${chartYaml.appVersion}`), container.image).toBe(true);
      }
    }
  });

  it('refuses keda.redisDatabaseIndex: the workers use database 0 only', async () => {
    await expect(render([...requiredSecrets, '--set', 'keda.redisDatabaseIndex=2'])).rejects.toThrow(
      /additional properties 'redisDatabaseIndex' not allowed/,
    );
  });
});

describe('the Prometheus files', () => {
  it('pass promtool check rules and check config', async () => {
    const rules = await run('promtool', ['check', 'rules', alertsFile]);
    expect(rules.stdout).toMatch(/SUCCESS: \d+ rules found/);
    await run('promtool', ['check', 'config', join(root, 'deploy/prometheus/prometheus.yml')]);
  });

  it('fire each alert on a synthetic failure and stay quiet on healthy series (promtool test rules)', async () => {
    // deploy/prometheus/alerts-test.yml holds a case for every alert, firing and quiet, beside the rules.
    const { stdout } = await run('promtool', [
      'test',
      'rules',
      join(root, 'deploy/prometheus/alerts-test.yml'),
    ]);
    expect(stdout).toMatch(/SUCCESS/);
    const rules = parse(await readFile(alertsFile, 'utf8')) as { groups: { rules: { alert?: string }[] }[] };
    const alerts = rules.groups.flatMap((g) => g.rules.flatMap((r) => (r.alert ? [r.alert] : [])));
    const cases = await readFile(join(root, 'deploy/prometheus/alerts-test.yml'), 'utf8');
    for (const alert of alerts)
      expect(cases, `a promtool case for ${alert}`).toContain(`alertname="${alert}"`);
  });
});

describe('the deploy/ files', () => {
  it('build the three workers of docker-compose.yml from Dockerfile targets that exist', async () => {
    const compose = parse(await readFile(join(root, 'deploy/docker-compose.yml'), 'utf8'), {
      merge: true,
    }) as {
      services: Record<string, { build?: { target?: string }; stop_grace_period?: string }>;
    };
    const dockerfile = await readFile(join(root, 'Dockerfile'), 'utf8');
    for (const worker of workerNames) {
      const service = compose.services[worker];
      expect(service?.build?.target).toBe(worker);
      expect(service?.stop_grace_period).toBe('45s');
      expect(dockerfile).toMatch(new RegExp(`^FROM runtime AS ${worker}$`, 'm'));
    }
    expect(compose.services.migrate?.build?.target).toBe('cli');
    expect(dockerfile).toMatch(/^FROM runtime AS cli$/m);
  });

  /** The YAML documents of a deploy/ file, each validated against its Kubernetes (or KEDA) model. */
  const validatedDocuments = async (path: string): Promise<Manifest[]> => {
    const docs = parseAllDocuments(await readFile(join(root, path), 'utf8')).map((d) => d.toJS() as Manifest);
    for (const doc of docs) {
      const Model = models[`${doc.apiVersion}/${doc.kind}`];
      expect(Model, `${doc.apiVersion}/${doc.kind}`).toBeDefined();
      if (Model) new Model(doc as never).validate();
    }
    return docs;
  };

  it('give a KEDA example that validates and watches both keys of one queue', async () => {
    const docs = await validatedDocuments('deploy/keda/scaledobject-example.yaml');
    const scaledObject = docs.find((d) => d.kind === 'ScaledObject') as unknown as IScaledObject;
    expect(scaledObject.spec?.triggers.map((t) => t.metadata.listName)).toEqual([
      'bull:CLASSIFY:wait',
      'bull:CLASSIFY:prioritized',
    ]);
  });

  it('give a KEDA example on the torrents gauge that validates and asks Prometheus for minato_queue_torrents', async () => {
    const docs = await validatedDocuments('deploy/keda/scaledobject-prometheus-example.yaml');
    const [scaledObject] = docs as unknown as IScaledObject[];
    expect(scaledObject?.spec?.triggers.map((t) => [t.type, t.metadata.query])).toEqual([
      ['prometheus', 'max(minato_queue_torrents{queue="TORRENT_INGEST"})'],
    ]);
  });

  it('give a Grafana dashboard whose panels query minato_ metrics', async () => {
    const dashboard = JSON.parse(
      await readFile(join(root, 'deploy/grafana/minato-dashboard.json'), 'utf8'),
    ) as {
      panels: { type: string; targets?: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    for (const metric of [
      'minato_queue_jobs',
      'minato_queue_torrents',
      'minato_worker_parked',
      'minato_torrent_failures_total',
      'minato_jobs_processed_total',
      'minato_es_documents_total',
      'minato_tmdb_requests_total',
    ]) {
      expect(
        exprs.some((e) => e.includes(metric)),
        metric,
      ).toBe(true);
    }
  });
});
