import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTmdbFake } from '@minato/tmdb-fake';
import { createHarness, freePort, type Harness } from '../support/pipeline-harness.js';
import { repoRoot, startNode, stopProcess, waitReady } from '../support/worker-processes.js';

const run = promisify(execFile);
const workers = ['ingest', 'enrichment', 'sync'] as const;

// What each image holds: the Dockerfile runs `pnpm deploy --filter <worker> --prod` and `node dist/main.js`.
describe('the image contents of each worker run on their own', () => {
  let out: string;
  let h: Harness;
  let tmdb: Awaited<ReturnType<typeof startTmdbFake>>;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'minato-deploy-'));
    h = await createHarness();
    tmdb = await startTmdbFake({ port: 0 });
  });
  afterAll(async () => {
    await tmdb.close();
    await h.close();
    await rm(out, { recursive: true, force: true });
  });

  it.each(workers)(
    '%s-worker: the pnpm deploy output starts with node, gets ready, and drains on SIGTERM',
    async (worker) => {
      const dir = join(out, worker);
      await run('pnpm', ['--filter', `@minato/${worker}-worker`, 'deploy', '--prod', dir], { cwd: repoRoot });
      expect(existsSync(join(dir, 'dist/main.js'))).toBe(true);
      expect(existsSync(join(dir, 'node_modules/@minato/core/dist/index.js'))).toBe(true);
      // Production dependencies only: no test runner, compiler or linter in an image.
      for (const dev of ['vitest', 'typescript', 'eslint'])
        expect(existsSync(join(dir, 'node_modules', dev))).toBe(false);

      const port = await freePort();
      const proc = startNode([join(dir, 'dist/main.js')], {
        ...h.env,
        METRICS_PORT: String(port),
        TMDB_BASE_URL: tmdb.baseUrl,
        TMDB_API_KEY: 'minato-dev-key',
      });
      try {
        await waitReady(proc, port);
        proc.child.kill('SIGTERM');
        expect(await proc.exited, proc.tail()).toEqual({ code: 0, signal: null });
      } finally {
        await stopProcess(proc);
      }
    },
  );
});
