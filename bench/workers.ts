import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/support/pipeline-harness.js';
import { onInterrupt } from './interrupt.js';
import {
  repoRoot,
  startNode,
  stopProcess,
  waitReady,
  workerArgs,
  type RunningProcess,
  type WorkerName,
} from '../test/support/worker-processes.js';

/** A built worker process started for a benchmark, with the port of its /metrics. */
export interface BenchWorker {
  worker: string;
  port: number;
  pid: number;
  process: RunningProcess;
  /** forgets the interrupt cleanup once the worker was stopped normally */
  unregister: () => void;
}

/** True when `packages/<name>-worker/dist/main.js` exists (`make build` ran). */
export function workerBuilt(name: WorkerName): boolean {
  return existsSync(join(repoRoot, 'packages', `${name}-worker`, 'dist', 'main.js'));
}

/**
 * Starts `node packages/<name>-worker/dist/main.js` with `env` and waits until it is ready; with
 * `profileDir`, the worker writes a V8 CPU profile there when it exits (`--cpu-prof`).
 */
export async function startBenchWorker(
  name: WorkerName,
  env: Record<string, string>,
  { label = `${name}-worker`, profileDir }: { label?: string; profileDir?: string | undefined } = {},
): Promise<BenchWorker> {
  const port = await freePort();
  const proc = startNode(
    [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...workerArgs(name)],
    { LOG_LEVEL: 'warn', ...env, METRICS_PORT: String(port) },
  );
  try {
    await waitReady(proc, port);
  } catch (error) {
    await stopProcess(proc);
    throw error;
  }
  const worker: BenchWorker = {
    worker: label,
    port,
    pid: proc.child.pid ?? 0,
    process: proc,
    unregister: () => undefined,
  };
  worker.unregister = onInterrupt(async () => void (await stopProcess(proc)));
  return worker;
}

/** SIGTERM (the graceful drain), then SIGKILL if it is still running after `graceMs`. */
export async function stopBenchWorker(worker: BenchWorker, graceMs = 15_000): Promise<void> {
  worker.unregister();
  const { child } = worker.process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await stopProcess(worker.process, 'SIGTERM');
  clearTimeout(killer);
}
