import { afterEach, beforeEach } from 'vitest';
import { createHarness, type Harness } from './pipeline-harness.js';
import { startReadyWorker, stopProcess, type RunningProcess } from './worker-processes.js';

/**
 * For a describe block: each test gets a fresh harness (`h`), and `start` runs an ingest worker on it, ready;
 * the workers and the harness are closed after each test.
 */
export function ingestWorkersPerTest() {
  let harness: Harness | undefined;
  let workers: RunningProcess[] = [];
  beforeEach(async () => {
    harness = await createHarness();
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await harness?.close();
  });
  return {
    get h(): Harness {
      if (!harness) throw new Error('the harness exists only inside a test');
      return harness;
    },
    async start(extra: Record<string, string> = {}) {
      const started = await startReadyWorker('ingest', { ...this.h.env, ...extra });
      workers.push(started.worker);
      return started;
    },
  };
}
