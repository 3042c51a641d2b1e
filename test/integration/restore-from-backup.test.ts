import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueBulk, removeOrphanDocuments, textArray } from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { compareRows } from '../support/projection-audit.js';
import { testConfig } from '../support/test-env.js';
import {
  startReadyWorker,
  stopProcess,
  type RunningProcess,
  runNode,
  withOutput,
} from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

const run = promisify(execFile);

describe('a restore of PostgreSQL from a backup', () => {
  let h: Harness;
  let dir: string;
  let workers: RunningProcess[] = [];
  const startWorkers = async () => {
    for (const name of ['ingest', 'sync'] as const) {
      workers.push((await startReadyWorker(name, { ...h.env, RECONCILE_EVERY_MS: '0' })).worker);
    }
  };
  const stopWorkers = async () => {
    await Promise.all(workers.map((w) => stopProcess(w, 'SIGTERM')));
    workers = [];
  };
  /** the test's schema, as `search_path` names it in the harness's DATABASE_URL */
  const schema = () => new URL(h.config.DATABASE_URL).searchParams.get('search_path')!;
  const database = testConfig().DATABASE_URL;
  const allIndexed = (what: string) =>
    waitFor(
      what,
      async () => {
        const [row] = await h.sql<{ behind: number }[]>`
          SELECT count(*) FILTER (WHERE indexed_version IS DISTINCT FROM version)::int AS behind FROM torrents`;
        return row?.behind === 0;
      },
      { timeoutMs: 60_000 },
    );
  const orphans = async () =>
    (
      await removeOrphanDocuments({
        repository: h.repository,
        search: h.search,
        index: h.config.ELASTICSEARCH_INDEX,
        dryRun: true,
      })
    ).orphans;

  beforeEach(async () => {
    h = await createHarness();
    dir = await mkdtemp(join(tmpdir(), 'minato-restore-'));
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await h.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('converges after minato restore-done: every document matches its restored row, none is left without one', async () => {
    const hashes = (await h.seed(40)).map((t) => t.infoHash);
    await startWorkers();
    await enqueueBulk(h.queues, 'TORRENT_INGEST', hashes);
    await allIndexed('the first 40 rows indexed');

    const dump = join(dir, 'backup.sql');
    await run('pg_dump', ['--no-owner', '--schema', schema(), '--file', dump, database]);

    // After the backup: rows changed (their documents move to higher versions), deleted, and added.
    const changed = hashes.slice(0, 10);
    const deleted = hashes.slice(10, 15);
    await h.sql`UPDATE torrents SET size = size + 1 WHERE info_hash = ANY(${textArray(h.sql, changed)}::text[])`;
    await h.sql`UPDATE torrents SET size = size + 1 WHERE info_hash = ANY(${textArray(h.sql, changed)}::text[])`;
    await enqueueBulk(h.queues, 'TORRENT_INGEST', changed);
    await h.sql`DELETE FROM torrents WHERE info_hash = ANY(${textArray(h.sql, deleted)}::text[])`;
    const added = (await h.seed(5)).map((t) => t.infoHash);
    await enqueueBulk(h.queues, 'TORRENT_INGEST', added);
    await allIndexed('the changed and added rows indexed');
    await waitFor('the deleted rows’ documents gone', async () => (await h.esCount()) === 40);

    await stopWorkers();
    await h.sql.unsafe(`DROP SCHEMA ${schema()} CASCADE`);
    await run('psql', ['--quiet', '--set', 'ON_ERROR_STOP=1', '--file', dump, database]);
    // The restored rows are behind the documents Elasticsearch holds, which would refuse their writes as stale.
    expect((await compareRows(h)).mismatches.length).toBeGreaterThanOrEqual(changed.length + deleted.length);
    expect(await orphans()).toBe(added.length);
    // A sync worker started now says what happened and what to run.
    const { worker: warned } = await startReadyWorker('sync', { ...h.env, RECONCILE_EVERY_MS: '0' });
    await waitFor('the sync worker to tell that Elasticsearch is ahead', () =>
      warned.output().includes('was PostgreSQL restored from a backup? run `minato restore-done`'),
    );
    await stopProcess(warned, 'SIGTERM');

    const done = await runNode(['packages/cli/dist/main.js', 'restore-done'], h.env);
    expect(done.code, withOutput(done)).toBe(0);
    expect(done.output).toMatch(/search epoch 1; 5 documents without a row removed; 40 rows sent/);
    await startWorkers();
    await allIndexed('every restored row written again');
    const audit = await waitFor('every document to match its restored row', async () => {
      const result = await compareRows(h);
      return result.mismatches.length === 0 ? result : null;
    });
    expect(audit.rows).toBe(40);
    expect(await orphans()).toBe(0);
    expect(await h.esCount()).toBe(40);
  });
});
