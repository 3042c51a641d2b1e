import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './pipeline-harness.js';
import { findSecrets, secretsIn } from './secret-scan.js';
import { waitFor } from './wait-for.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export type WorkerName = 'ingest' | 'enrichment' | 'sync';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningProcess {
  /** what was started, for messages: `node packages/cli/dist/main.js status` */
  command: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<Exit>;
  /** the last lines of output, for a failure message */
  tail: (lines?: number) => string;
}

/** Every process a test started and has not stopped yet: the cleanup hook kills whatever a failing test left. */
const live = new Set<RunningProcess>();
/** Long-running processes (workers) that exited while nobody was stopping them, with their last lines. */
const deaths: string[] = [];
/** Every process started with a secret, the secrets it holds (none may appear in its output), and whether it ended. */
const holders = new Map<RunningProcess, { secrets: Record<string, string>; ended: boolean }>();

/**
 * The V8 flags a worker runs with, here as in its image (Dockerfile) and `make dev` (deploy/local/dev.sh):
 * semi-spaces of 8 MiB instead of Node's 16 keep a worker inside its 256 MiB under a million-torrent backlog
 * (ingest worker at 200,000 torrents: peak 248 → 233 MiB at the same throughput; BENCHMARKS.md).
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];

/** `node`'s arguments that start a built worker. */
export function workerArgs(name: WorkerName): string[] {
  return [...WORKER_NODE_FLAGS, `packages/${name}-worker/dist/main.js`];
}

/** Starts a built worker (`node packages/<name>-worker/dist/main.js`) with `env` on top of this process's. */
export function startWorker(name: WorkerName, env: Record<string, string>): RunningProcess {
  const proc = startNode(workerArgs(name), env);
  void proc.exited.then((exit) => {
    if (live.has(proc)) deaths.push(describeExit(proc, exit));
  });
  return proc;
}

/** Runs `node args...` from the repository root, collecting its output. */
export function startNode(args: string[], env: Record<string, string>): RunningProcess {
  const fullEnv = { ...process.env, ...env };
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: fullEnv, stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  // 'close', not 'exit': Node may emit 'exit' while output is still unread, and callers read it once exited.
  const exited = new Promise<Exit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const proc: RunningProcess = {
    command: `node ${args.join(' ')}`,
    child,
    output: () => out,
    exited,
    tail: (lines = 30) => out.trimEnd().split('\n').slice(-lines).join('\n'),
  };
  live.add(proc);
  const secrets = secretsIn(fullEnv);
  if (Object.keys(secrets).length > 0) {
    const holder = { secrets, ended: false };
    holders.set(proc, holder);
    void exited.then(() => (holder.ended = true));
  }
  // Registered after the caller's handlers, so a death is seen while the process still counts as live.
  void exited.then(() => setImmediate(() => live.delete(proc)));
  return proc;
}

function describeExit(proc: RunningProcess, exit: Exit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
  return `${proc.command} (pid ${String(proc.child.pid)}) exited with ${how}; its last output:\n${proc.tail()}`;
}

/** The result of a command run to completion, with everything it printed. */
export interface Completed extends Exit {
  command: string;
  output: string;
}

/** Runs `node args...` to completion. */
export async function runNode(args: string[], env: Record<string, string>): Promise<Completed> {
  const proc = startNode(args, env);
  const exit = await proc.exited;
  return { ...exit, command: proc.command, output: proc.output() };
}

/** A failure message that shows what a command printed, for `expect(value, message)`. */
export function withOutput(result: Completed): string {
  return `${result.command} exited with code ${String(result.code)}; its output:\n${result.output}`;
}

/** Waits until the worker's /readyz answers 200; fails at once, with its last output, if the process dies. */
export async function waitReady(proc: RunningProcess, port: number, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    `${proc.command} on ${port} to be ready`,
    async () => {
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        throw new DeadProcessError(
          describeExit(proc, { code: proc.child.exitCode, signal: proc.child.signalCode }),
        );
      }
      return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
    },
    { timeoutMs, intervalMs: 200, failFast: (error) => error instanceof DeadProcessError },
  ).catch((error: unknown) => {
    if (error instanceof DeadProcessError) throw error;
    throw new Error(`${(error as Error).message}; its last output:\n${proc.tail()}`);
  });
}

class DeadProcessError extends Error {
  override name = 'DeadProcessError';
}

/** Stops a process (if still running) and waits for it to exit. */
export async function stopProcess(proc: RunningProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<Exit> {
  live.delete(proc);
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
  return proc.exited;
}

/** Starts a built worker on a free metrics port and waits until its /readyz answers 200. */
export async function startReadyWorker(
  name: WorkerName,
  env: Record<string, string>,
): Promise<{ worker: RunningProcess; port: number }> {
  const port = await freePort();
  const worker = startWorker(name, { ...env, METRICS_PORT: String(port) });
  await waitReady(worker, port);
  return { worker, port };
}

/** The workers that died on their own since the last call, each described with its exit and last output. */
export function takeDeaths(): string[] {
  return deaths.splice(0);
}

/**
 * `NAME (form) in <command> output` for each secret a started process wrote in its output, as far as it has
 * written; a process that has exited is reported once, and then forgotten.
 */
export function secretsWritten(): string[] {
  return [...holders].flatMap(([proc, { secrets, ended }]) => {
    if (ended) holders.delete(proc);
    return findSecrets({ [`${proc.command} output`]: proc.output() }, secrets);
  });
}

/** Kills every process a test started and did not stop. */
export async function killLeftoverProcesses(): Promise<void> {
  await Promise.all([...live].map((proc) => stopProcess(proc)));
}
