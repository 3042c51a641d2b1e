import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ownPort, redisScriptArgs, type OwnRedisOptions } from './local-services.js';
import { waitFor } from './wait-for.js';
import { repoRoot } from './worker-processes.js';

const run = promisify(execFile);
const cache = join(repoRoot, '.cache');

/**
 * `deploy/local/redis.sh sentinel|cluster` on this test's own ports (`portEnv`), started with `options` (a password
 * that the data nodes and the sentinels require, TLS on every port), and the environment its clients are given: the
 * mode's own (`modeEnv`) with the password and TLS.
 */
function topology<ModeEnv extends Record<string, string>>(
  kind: 'sentinel' | 'cluster',
  portEnv: Record<string, string>,
  modeEnv: ModeEnv,
  { password, tls = false }: OwnRedisOptions,
) {
  const script = (action: 'start' | 'stop' | 'ca-file') =>
    run('deploy/local/redis.sh', [kind, action, ...redisScriptArgs({ password, tls })], {
      cwd: repoRoot,
      env: { ...process.env, ...portEnv },
    });
  /** what a client is given; REDIS_CA_FILE once the topology started, the script knowing where its CA is */
  const env: ModeEnv & Record<string, string> & { REDIS_CA_FILE?: string } = {
    ...modeEnv,
    ...(password ? { REDIS_PASSWORD: password } : {}),
    ...(password && kind === 'sentinel' ? { REDIS_SENTINEL_PASSWORD: password } : {}),
    ...(tls ? { REDIS_TLS: 'true' } : {}),
  };
  return {
    env,
    start: async () => {
      await script('start');
      if (tls) env.REDIS_CA_FILE = (await script('ca-file')).stdout.trim();
    },
    stop: () => script('stop'),
    /** redis-cli on `port` (a data node or a sentinel) with the password and TLS the topology requires */
    cli: async (port: number, ...args: string[]): Promise<string> => {
      const auth = password ? ['--no-auth-warning', '-a', password] : [];
      const secure = tls ? ['--tls', '--cacert', env.REDIS_CA_FILE ?? ''] : [];
      return (await run('redis-cli', [...auth, ...secure, '-p', String(port), ...args])).stdout;
    },
  };
}

/** A master, its replica and three sentinels watching master `minato` (deploy/local/redis.sh sentinel). */
export function sentinelTopology(
  givenMasterPort: number,
  givenSentinelPort: number,
  options: OwnRedisOptions = {},
) {
  const [masterPort, sentinelPort] = [ownPort(givenMasterPort), ownPort(givenSentinelPort)];
  const sentinels = [0, 1, 2].map((i) => sentinelPort + i);
  const dataPorts = [masterPort, masterPort + 1];
  const { env, start, stop, cli } = topology(
    'sentinel',
    { REDIS_PORT: String(masterPort), SENTINEL_PORT: String(sentinelPort) },
    { REDIS_SENTINELS: sentinels.map((p) => `127.0.0.1:${p}`).join(','), REDIS_SENTINEL_NAME: 'minato' },
    options,
  );
  return {
    env,
    sentinels,
    start,
    stop,
    cli,
    /** the master's port as the first sentinel that answers names it */
    async master(): Promise<number> {
      for (const port of sentinels) {
        const answer = await cli(port, 'SENTINEL', 'get-master-addr-by-name', 'minato').catch(() => '');
        const masterPort = Number(answer.trim().split('\n')[1]);
        if (masterPort) return masterPort;
      }
      throw new Error(`no sentinel on ${sentinels.join(',')} names a master`);
    },
    /** resolves (to Date.now()) once every sentinel names a master other than `old` */
    electedAfter: (old: number) =>
      waitFor(
        `the sentinels to elect a master other than ${old}`,
        async () => {
          const named = await Promise.all(
            sentinels.map((p) => cli(p, 'SENTINEL', 'get-master-addr-by-name', 'minato').catch(() => '')),
          );
          const ports = named.map((a) => Number(a.trim().split('\n')[1]));
          return ports.every((p) => p && p !== old && dataPorts.includes(p)) ? Date.now() : null;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      ),
    /** the node on `port`, killed with SIGKILL: no shutdown, no goodbye to its clients */
    kill: (port: number) => killNode(join(cache, `redis-sentinel-${masterPort}`, String(port), 'redis.pid')),
    /** SIGSTOPs or SIGCONTs every sentinel: they keep their sockets and answer nobody, as when unreachable */
    async freezeSentinels(frozen: boolean) {
      for (const port of sentinels) {
        const pid = Number(
          await readFile(
            join(cache, `redis-sentinel-${masterPort}`, `sentinel-${port}`, 'sentinel.pid'),
            'utf8',
          ),
        );
        process.kill(pid, frozen ? 'SIGSTOP' : 'SIGCONT');
      }
    },
  };
}

/** Six cluster nodes from `basePort`, three masters with a replica each (deploy/local/redis.sh cluster). */
export function clusterTopology(givenBasePort: number, options: OwnRedisOptions = {}) {
  const basePort = ownPort(givenBasePort);
  const ports = [0, 1, 2, 3, 4, 5].map((i) => basePort + i);
  const nodePidFile = (port: number) => join(cache, `redis-cluster-${basePort}`, String(port), 'redis.pid');
  const { env, start, stop, cli } = topology(
    'cluster',
    { REDIS_PORT: String(basePort) },
    { REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(',') },
    options,
  );
  return {
    env,
    ports,
    start,
    stop,
    cli,
    /** the port of the master serving `key`'s slot, asked of a node other than `avoid` */
    async masterOf(key: string, avoid?: number): Promise<number> {
      const asked = ports.find((p) => p !== avoid)!;
      const slot = Number((await cli(asked, 'CLUSTER', 'KEYSLOT', key)).trim());
      for (const line of (await cli(asked, 'CLUSTER', 'NODES')).trim().split('\n')) {
        const [, address, flags, , , , , state, ...ranges] = line.split(' ');
        if (!flags?.includes('master') || flags.includes('fail') || state !== 'connected') continue;
        const owns = ranges.some((r) => {
          const [from, to] = r.split('-').map(Number);
          return slot >= from! && slot <= (to ?? from!);
        });
        if (owns) return Number(address!.split(':')[1]!.split('@')[0]);
      }
      throw new Error(`no connected master of slot ${slot} (key ${key}) in CLUSTER NODES of ${asked}`);
    },
    /** resolves (to Date.now()) once a master other than `old` serves `key` and the cluster says ok */
    electedAfter(old: number, key: string) {
      return waitFor(
        `a replica of ${old} to take over ${key}'s slot`,
        async () => {
          const master = await this.masterOf(key, old).catch(() => old);
          if (master === old) return null;
          const info = await cli(master, 'CLUSTER', 'INFO');
          return info.includes('cluster_state:ok') ? Date.now() : null;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    },
    /** `master`'s port and its replicas' ports, from CLUSTER NODES as `master` sees it */
    async shardOf(master: number): Promise<number[]> {
      const lines = (await cli(master, 'CLUSTER', 'NODES')).trim().split('\n');
      const id = lines.find((l) => l.split(' ')[2]!.includes('myself'))!.split(' ')[0]!;
      const replicas = lines.filter((l) => l.split(' ')[3] === id);
      return [master, ...replicas.map((l) => Number(l.split(' ')[1]!.split(':')[1]!.split('@')[0]))];
    },
    /** the `field` of `CLUSTER INFO` on `port` (`cluster_state`: ok or fail) */
    async info(port: number, field: string): Promise<string | undefined> {
      const line = (await cli(port, 'CLUSTER', 'INFO')).split('\n').find((l) => l.startsWith(`${field}:`));
      return line?.slice(field.length + 1).trim();
    },
    kill: (port: number) => killNode(nodePidFile(port)),
  };
}

async function killNode(pidFile: string): Promise<void> {
  process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGKILL');
}
