import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ownPort } from './local-services.js';
import { waitFor } from './wait-for.js';
import { repoRoot } from './worker-processes.js';

const run = promisify(execFile);
const cache = join(repoRoot, '.cache');

const cli = async (port: number, ...args: string[]): Promise<string> =>
  (await run('redis-cli', ['-p', String(port), ...args])).stdout;

/** Starts or stops `deploy/local/redis.sh sentinel|cluster` on this test's own ports. */
async function topology(kind: 'sentinel' | 'cluster', action: 'start' | 'stop', env: Record<string, string>) {
  await run('deploy/local/redis.sh', [kind, action], { cwd: repoRoot, env: { ...process.env, ...env } });
}

/** A master, its replica and three sentinels watching master `minato` (deploy/local/redis.sh sentinel). */
export function sentinelTopology(givenMasterPort: number, givenSentinelPort: number) {
  const [masterPort, sentinelPort] = [ownPort(givenMasterPort), ownPort(givenSentinelPort)];
  const env = { REDIS_PORT: String(masterPort), SENTINEL_PORT: String(sentinelPort) };
  const sentinels = [0, 1, 2].map((i) => sentinelPort + i);
  const dataPorts = [masterPort, masterPort + 1];
  return {
    env: {
      REDIS_SENTINELS: sentinels.map((p) => `127.0.0.1:${p}`).join(','),
      REDIS_SENTINEL_NAME: 'minato',
    },
    sentinels,
    start: () => topology('sentinel', 'start', env),
    stop: () => topology('sentinel', 'stop', env),
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
export function clusterTopology(givenBasePort: number) {
  const basePort = ownPort(givenBasePort);
  const ports = [0, 1, 2, 3, 4, 5].map((i) => basePort + i);
  const nodePidFile = (port: number) => join(cache, `redis-cluster-${basePort}`, String(port), 'redis.pid');
  return {
    env: { REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(',') },
    ports,
    start: () => topology('cluster', 'start', { REDIS_PORT: String(basePort) }),
    stop: () => topology('cluster', 'stop', { REDIS_PORT: String(basePort) }),
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
    /** `INFO stats`'s `total_connections_received` on `port`: grows with every connection a client opens */
    async connectionsReceived(port: number): Promise<number> {
      const line = (await cli(port, 'INFO', 'stats'))
        .split('\n')
        .find((l) => l.startsWith('total_connections_received:'));
      return Number(line?.split(':')[1]);
    },
    kill: (port: number) => killNode(nodePidFile(port)),
  };
}

async function killNode(pidFile: string): Promise<void> {
  process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGKILL');
}
