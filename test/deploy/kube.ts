import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { repoRoot } from '../support/worker-processes.js';

const run = promisify(execFile);

/** Where deploy/local/cluster.sh keeps the local cluster: binaries, kubeconfig and the chart values for it. */
export const kubeDir = join(repoRoot, '.cache/kube');
const env = { ...process.env, KUBECONFIG: join(kubeDir, 'config') };
const binaries = { kubectl: join(kubeDir, 'bin/kubectl'), helm: join(repoRoot, '.cache/bin/helm') };

/** Runs kubectl or helm against the local cluster; a failure carries the command's whole output. */
export async function tool(name: keyof typeof binaries, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(binaries[name], args, { cwd: repoRoot, env, maxBuffer: 32 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${name} ${args.join(' ')} failed:\n${stderr}${stdout}`, { cause: error });
  }
}

export const kubectl = (args: string[]) => tool('kubectl', args);
export const helm = (args: string[]) => tool('helm', args);

export async function kubectlJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

/** The values cluster.sh wrote for the chart: the host's services as the pods reach them. */
export interface LocalValues {
  config: { redis: { host: string; port: number }; elasticsearch: { node: string } };
}

export function localValues(): LocalValues {
  return parse(readFileSync(join(kubeDir, 'values-local.yaml'), 'utf8')) as LocalValues;
}

/** `kubectl logs -f` of one pod: `done` resolves with everything it printed once the container exits. */
export function followLogs(namespace: string, pod: string): { done: Promise<string>; stop: () => void } {
  const child = spawn(binaries.kubectl, ['-n', namespace, 'logs', '-f', pod], { env, stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return { done: new Promise((resolve) => child.on('exit', () => resolve(out))), stop: () => child.kill() };
}

/** What an operator would look at first: objects, events, and each pod's description and recent logs. */
export async function clusterState(namespace: string): Promise<string> {
  const parts: string[] = [];
  const grab = async (label: string, args: string[]) =>
    parts.push(`--- ${label}\n${await kubectl(args).catch((e: Error) => e.message)}`);
  await grab('objects', ['-n', namespace, 'get', 'all,configmap,secret,job,pdb', '-o', 'wide']);
  await grab('events', ['-n', namespace, 'get', 'events', '--sort-by=.lastTimestamp']);
  const pods = await kubectl(['-n', namespace, 'get', 'pods', '-o', 'name']).catch(() => '');
  for (const pod of pods.split('\n').filter(Boolean)) {
    await grab(`describe ${pod}`, ['-n', namespace, 'describe', pod]);
    await grab(`logs ${pod}`, ['-n', namespace, 'logs', pod, '--all-containers', '--tail=40']);
  }
  return parts.join('\n');
}
