import { startTmdbFake, type TmdbFake } from '@minato/tmdb-fake';
import { afterEach, beforeEach } from 'vitest';
import { createHarness, type Harness } from './pipeline-harness.js';
import { startReadyWorker, stopProcess, type RunningProcess, type WorkerName } from './worker-processes.js';

/**
 * For a describe block: each test gets a fresh harness (`h`, with `overrides` in its environment) and a TMDB
 * fake (`tmdb`); `start` runs a worker on both, ready. Workers, fake and harness are closed after each test.
 */
export function pipelinePerTest(overrides: Record<string, string> = {}) {
  let harness: Harness | undefined;
  let fake: TmdbFake | undefined;
  let workers: RunningProcess[] = [];
  beforeEach(async () => {
    harness = await createHarness(overrides);
    fake = await startTmdbFake({ port: 0 });
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await fake?.close();
    await harness?.close();
  });
  const inTest = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the harness exists only inside a test');
    return value;
  };
  return {
    get h(): Harness {
      return inTest(harness);
    },
    get tmdb(): TmdbFake {
      return inTest(fake);
    },
    /** starts a worker of this test's pipeline (pass 2 talks to the fake), with `extra` in its environment */
    async start(name: WorkerName, extra: Record<string, string> = {}) {
      const started = await startReadyWorker(name, {
        ...this.h.env,
        TMDB_BASE_URL: this.tmdb.baseUrl,
        TMDB_API_KEY: 'minato-dev-key',
        ...extra,
      });
      workers.push(started.worker);
      return started;
    },
  };
}
