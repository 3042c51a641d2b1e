import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LoggedRequest } from '@minato/tmdb-fake';
import { freePort } from '../test/support/pipeline-harness.js';
import { waitFor } from '../test/support/wait-for.js';
import { onInterrupt } from './interrupt.js';
import { repoRoot, startNode, stopProcess, type RunningProcess } from '../test/support/worker-processes.js';

const MAIN = join('packages', 'tmdb-fake', 'dist', 'main.js');

/**
 * The TMDB fake in its own process (`pnpm tmdb-fake`), not inside the benchmark: its request log stamps
 * arrivals, and the benchmark's own event loop (polling, enqueueing) would delay those stamps.
 */
export interface TmdbFakeProcess {
  /** what TMDB_BASE_URL should be */
  baseUrl: string;
  requests(): Promise<LoggedRequest[]>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** True when the fake is built (`make build`). */
export function tmdbFakeBuilt(): boolean {
  return existsSync(join(repoRoot, MAIN));
}

export async function startTmdbFakeProcess(): Promise<TmdbFakeProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc: RunningProcess = startNode([MAIN, '--port', String(port)], {});
  await waitFor('the TMDB fake to listen', async () => (await fetch(`${url}/__control/mode`)).ok, {
    timeoutMs: 30_000,
  }).catch(async (error: unknown) => {
    await stopProcess(proc);
    throw new Error(`${(error as Error).message}\n${proc.output()}`);
  });
  const control = async (method: string, path: string): Promise<unknown> => {
    const response = await fetch(`${url}/__control/${path}`, { method });
    if (!response.ok) throw new Error(`TMDB fake: ${method} /__control/${path} answered ${response.status}`);
    return response.json();
  };
  const unregister = onInterrupt(async () => void (await stopProcess(proc)));
  return {
    baseUrl: `${url}/3`,
    requests: async () => (await control('GET', 'requests')) as LoggedRequest[],
    reset: async () => {
      await control('POST', 'reset');
    },
    stop: async () => {
      unregister();
      await stopProcess(proc, 'SIGTERM');
    },
  };
}
