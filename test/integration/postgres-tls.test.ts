import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { uniqueName } from '../support/test-env.js';
import { waitFor } from '../support/wait-for.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';

// The local PostgreSQL (Debian's cluster) serves TLS with its self-signed snakeoil certificate, so
// `sslmode=require` (encrypt, do not verify) is what works against it; README.md, Security, covers verify-full.
describe('DATABASE_URL with sslmode', () => {
  let h: Harness;
  let worker: RunningProcess | undefined;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    if (worker) await stopProcess(worker);
    worker = undefined;
    await h.close();
  });

  it('connects a worker over TLS when DATABASE_URL carries sslmode=require', async () => {
    const application = uniqueName('minato-tls');
    const url = `${h.env.DATABASE_URL}&sslmode=require&application_name=${application}`;
    const hashes = (await h.seed(10)).map((t) => t.infoHash);
    worker = (await startReadyWorker('ingest', { ...h.env, DATABASE_URL: url })).worker;
    await h.enqueueIngest(hashes);
    await waitFor('10 torrents indexed', async () => (await h.pgIndexed(hashes)) === 10, {
      timeoutMs: 60_000,
    });
    const sessions = await h.sql<{ ssl: boolean }[]>`SELECT s.ssl FROM pg_stat_ssl s
      JOIN pg_stat_activity a USING (pid) WHERE a.application_name = ${application}`;
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => s.ssl)).toBe(true);
  });
});
