import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './pipeline-harness.js';
import { waitFor } from './wait-for.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export type WorkerName = 'ingest' | 'enrichment' | 'sync';

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a built worker (`node packages/<name>-worker/dist/main.js`) with `env` on top of this process's. */
export function startWorker(name: WorkerName, env: Record<string, string>): RunningProcess {
  return startNode([`packages/${name}-worker/dist/main.js`], env);
}

/** Runs `node args...` from the repository root, collecting its output. */
export function startNode(args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: 'pipe',
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Waits until the worker's /readyz answers 200. */
export async function waitReady(port: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `worker on ${port} to be ready`,
    async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
    {
      timeoutMs,
      intervalMs: 200,
    },
  );
}

/** Kills a process (if still running) and waits for it to exit. */
export async function stopProcess(proc: RunningProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  await proc.exited;
}

/** Starts a built worker on a free metrics port and waits until its /readyz answers 200. */
export async function startReadyWorker(
  name: WorkerName,
  env: Record<string, string>,
): Promise<{ worker: RunningProcess; port: number }> {
  const port = await freePort();
  const worker = startWorker(name, { ...env, METRICS_PORT: String(port) });
  await waitReady(port);
  return { worker, port };
}
