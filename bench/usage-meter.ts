import { readdir, readFile } from 'node:fs/promises';
import type { RedisClient } from '@minato/core';
import type { SearchRest } from '../test/support/search-rest.js';
import { num, table } from './report.js';

/**
 * What each participant of a run has consumed so far (CPU seconds, Redis script calls), so a report can
 * say where a run's time went. The services are shared with other users of the machine, so the figures
 * include their noise; the "everything else" row shows how much CPU others took meanwhile.
 */
export interface UsageSnapshot {
  at: number;
  machineCpu: number;
  elasticsearchCpu: number;
  postgresCpu: number;
  redisCpu: number;
  driverCpu: number;
  workerCpu: Map<string, number>;
  /** Lua script calls (every BullMQ job operation is one) and the microseconds Redis spent in them */
  redisScriptCalls: number;
  redisScriptMicros: number;
}

export interface UsageClients {
  rest: SearchRest;
  redis: RedisClient;
}

const TICKS_PER_SECOND = 100;

/** Reads every counter at once. */
export async function usageSnapshot(
  { rest, redis }: UsageClients,
  workers: readonly { worker: string; pid: number }[] = [],
): Promise<UsageSnapshot> {
  const [machineCpu, processes, esMillis, workerCpu, redisInfo] = await Promise.all([
    machineBusySeconds(),
    processCpuByName(['postgres', 'redis-server']),
    rest
      .request<{ nodes: Record<string, { process?: { cpu?: { total_in_millis?: number } } }> }>(
        'GET',
        '/_nodes/stats/process',
      )
      .then((s) =>
        Object.values(s.nodes).reduce((sum, node) => sum + (node.process?.cpu?.total_in_millis ?? 0), 0),
      ),
    Promise.all(workers.map(async ({ worker, pid }) => [worker, await processCpu(pid)] as const)),
    redis.info('commandstats'),
  ]);
  const scripts = (field: string) =>
    ['evalsha', 'eval'].reduce(
      (sum, cmd) => sum + Number(new RegExp(`cmdstat_${cmd}:.*?${field}=(\\d+)`).exec(redisInfo)?.[1] ?? 0),
      0,
    );
  const usage = process.cpuUsage();
  return {
    at: Date.now(),
    machineCpu,
    elasticsearchCpu: esMillis / 1000,
    postgresCpu: processes.get('postgres') ?? 0,
    redisCpu: processes.get('redis-server') ?? 0,
    driverCpu: (usage.user + usage.system) / 1e6,
    workerCpu: new Map(workerCpu),
    redisScriptCalls: scripts('calls'),
    redisScriptMicros: scripts('usec'),
  };
}

/** A table of CPU seconds (and share of one core) per participant between two snapshots. */
export function usageTable(
  before: UsageSnapshot,
  after: UsageSnapshot,
  items: number,
  unit: string,
  driverLabel = 'benchmark driver (enqueue, polling)',
): string {
  const wall = (after.at - before.at) / 1000;
  const cpu: [string, number][] = [
    ...[...after.workerCpu].map(([name, s]): [string, number] => [
      name,
      s - (before.workerCpu.get(name) ?? 0),
    ]),
    ['Elasticsearch', after.elasticsearchCpu - before.elasticsearchCpu],
    ['PostgreSQL (all backends)', after.postgresCpu - before.postgresCpu],
    ['Redis', after.redisCpu - before.redisCpu],
    [driverLabel, after.driverCpu - before.driverCpu],
  ];
  const machine = after.machineCpu - before.machineCpu;
  const ours = cpu.reduce((sum, [, seconds]) => sum + seconds, 0);
  cpu.push(['everything else on the machine (other users)', Math.max(0, machine - ours)]);
  cpu.push(['whole machine (2 cores = 200 %)', machine]);
  const rows = cpu.map(([name, seconds]) => [
    name,
    num(seconds, 1),
    `${num((100 * seconds) / wall)} %`,
    num((1e6 * seconds) / items),
  ]);
  const calls = after.redisScriptCalls - before.redisScriptCalls;
  const micros = after.redisScriptMicros - before.redisScriptMicros;
  return [
    table([`CPU over ${num(wall, 1)} s`, 'CPU s', '% of one core', `µs per ${unit}`], rows),
    `Redis Lua script calls (BullMQ runs each job operation as one): ${num(calls)}, ` +
      `${num(calls / items, 1)} per ${unit}, ${num(micros / Math.max(1, calls))} µs each inside Redis ` +
      `(${num(micros / items)} µs per ${unit}). Redis is shared, so this includes other users.`,
  ].join('\n\n');
}

async function machineBusySeconds(): Promise<number> {
  const [cpu] = (await readFile('/proc/stat', 'utf8')).split('\n');
  const fields = (cpu ?? '').trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return (fields.reduce((a, b) => a + b, 0) - idle) / TICKS_PER_SECOND;
}

/** utime + stime of one process (0 once it is gone). */
async function processCpu(pid: number): Promise<number> {
  return cpuTicks(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''), false) / TICKS_PER_SECOND;
}

/** CPU ticks from a /proc/<pid>/stat line; with `children`, those of the reaped children too. */
function cpuTicks(stat: string, children: boolean): number {
  // Fields after the name, counted from 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (children ? [11, 12, 13, 14] : [11, 12]).reduce((sum, i) => sum + Number(fields[i] ?? 0), 0);
}

/**
 * utime + stime of every process named one of `names`, plus the time of the children they reaped
 * (PostgreSQL backends that exited are charged to the postmaster that way).
 */
async function processCpuByName(names: readonly string[]): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!names.includes(name)) return;
      totals.set(name, (totals.get(name) ?? 0) + cpuTicks(stat, true) / TICKS_PER_SECOND);
    }),
  );
  return totals;
}
