import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Secret, Service } from 'kubernetes-models/v1';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1';
import { Ingress, type IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import type { IService } from 'kubernetes-models/v1';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const helmBin = join(root, '.cache/bin/helm');
const chart = join(root, 'helm/minato-workers');
// helm built with `go install` believes the cluster is Kubernetes 1.20, below the chart's kubeVersion.
const kubeVersion = '1.31.0';
const required = [
  '--set',
  'secrets.databaseUrl=postgres://minato:minato@postgresql:5432/minato',
  '--set',
  'secrets.tmdbApiKey=k',
];
const USERS = 'operator:scrypt$32768$8$1$c2FsdA==$a2V5';

interface Manifest {
  kind: string;
  metadata: { name: string };
  [field: string]: unknown;
}

async function render(args: string[]): Promise<Manifest[]> {
  const { stdout } = await run(
    helmBin,
    [
      'template',
      'minato',
      chart,
      '--namespace',
      'minato',
      '--kube-version',
      kubeVersion,
      ...required,
      ...args,
    ],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

const consoleOnly = (manifests: Manifest[]) => manifests.filter((m) => m.metadata.name.includes('console'));
const one = <T>(manifests: Manifest[], kind: string): T => {
  const found = manifests.filter((m) => m.kind === kind && m.metadata.name.includes('console'));
  expect(found, `one console ${kind}`).toHaveLength(1);
  return found[0] as unknown as T;
};

beforeAll(async () => {
  await run(join(root, 'deploy/local/tools.sh'), ['helm'], { cwd: root });
  await access(helmBin);
}, 900_000);

describe('the console in the Helm chart', () => {
  it('renders nothing of the console unless console.enabled', async () => {
    expect(consoleOnly(await render([]))).toEqual([]);
  });

  it('runs it as uid 1000 on a read-only root filesystem, behind basic auth with users from a Secret, read-only by default', async () => {
    const manifests = await render([
      '--set',
      'console.enabled=true',
      '--set-string',
      `console.auth.users=${USERS}`,
    ]);
    const deployment = one<IDeployment>(manifests, 'Deployment');
    new Deployment(deployment).validate();
    const pod = deployment.spec?.template.spec;
    const container = pod?.containers[0];
    expect(container?.image).toMatch(/^minato\/console:/);
    expect(container?.securityContext).toMatchObject({
      runAsUser: 1000,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      CONSOLE_AUTH: 'basic',
      CONSOLE_ALLOW_ACTIONS: 'false',
      CONSOLE_USERS_FILE: '/etc/minato-console/users',
    });
    expect(pod?.volumes?.find((v) => v.name === 'users')?.secret?.secretName).toBe('minato-console-users');
    const secret = one<{ stringData: { users: string } }>(manifests, 'Secret');
    new Secret(secret).validate();
    expect(secret.stringData.users.trim()).toBe(USERS);
    const service = one<IService>(manifests, 'Service');
    new Service(service).validate();
    expect(service.spec?.selector).toEqual(deployment.spec?.selector.matchLabels);
    expect(manifests.filter((m) => m.kind === 'Ingress')).toEqual([]);
  });

  it('refuses basic auth without users, naming the values that give them', async () => {
    await expect(render(['--set', 'console.enabled=true'])).rejects.toThrow(
      /console\.auth\.mode=basic needs console\.auth\.users .* or console\.auth\.existingSecret/,
    );
  });

  it('trusts an auth proxy in header mode and serves an Ingress with TLS when asked', async () => {
    const manifests = await render([
      '--set',
      'console.enabled=true',
      '--set',
      'console.auth.mode=header',
      '--set',
      'console.allowActions=true',
      '--set',
      'console.ingress.enabled=true',
      '--set',
      'console.ingress.host=console.example.org',
      '--set',
      'console.ingress.tlsSecret=console-tls',
      '--set',
      'console.existingSecret=console-readonly',
    ]);
    expect(manifests.filter((m) => m.kind === 'Secret' && m.metadata.name.includes('console'))).toEqual([]);
    const deployment = one<IDeployment>(manifests, 'Deployment');
    const container = deployment.spec?.template.spec?.containers[0];
    const env = Object.fromEntries((container?.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({
      CONSOLE_AUTH: 'header',
      CONSOLE_AUTH_HEADER: 'X-Forwarded-User',
      CONSOLE_ALLOW_ACTIONS: 'true',
    });
    expect(env.CONSOLE_USERS_FILE).toBeUndefined();
    // The console's own read-only credentials come last, so they win over the workers'.
    expect(container?.envFrom?.at(-1)?.secretRef?.name).toBe('console-readonly');
    const ingress = one<IIngress>(manifests, 'Ingress');
    new Ingress(ingress).validate();
    expect(ingress.spec?.tls).toEqual([{ hosts: ['console.example.org'], secretName: 'console-tls' }]);
    expect(ingress.spec?.rules?.[0]?.http?.paths[0]?.backend.service).toEqual({
      name: 'minato-console',
      port: { name: 'http' },
    });
  });

  it('passes helm lint --strict with the console on', async () => {
    const { stdout } = await run(
      helmBin,
      [
        'lint',
        '--strict',
        chart,
        '--kube-version',
        kubeVersion,
        ...required,
        '--set',
        'console.enabled=true',
        '--set-string',
        `console.auth.users=${USERS}`,
      ],
      { cwd: root },
    );
    expect(stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });
});
