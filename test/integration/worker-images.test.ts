import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTmdbFake } from '@minato/tmdb-fake';
import { createHarness, freePort, type Harness } from '../support/pipeline-harness.js';
import { waitFor } from '../support/wait-for.js';
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

// The images themselves, as `make images` tags them, run the way the chart runs them: read-only root
// filesystem, uid 1000, no capabilities. Needs the Docker engine and images that `make images` starts and builds.
const imageTag = '0.1.0';
const imagesBuilt = await Promise.all(
  [...workers.map((w) => `minato/${w}-worker:${imageTag}`), `minato/cli:${imageTag}`].map((image) =>
    run('docker', ['image', 'inspect', image]).then(
      () => true,
      () => false,
    ),
  ),
).then((found) => found.every(Boolean));

describe.runIf(imagesBuilt)('the images of make images', () => {
  let h: Harness;
  let tmdb: Awaited<ReturnType<typeof startTmdbFake>>;
  beforeAll(async () => {
    h = await createHarness();
    tmdb = await startTmdbFake({ port: 0 });
  });
  afterAll(async () => {
    await tmdb.close();
    await h.close();
  });

  // Host networking: the container reaches the services on 127.0.0.1 as the test does.
  const lockedDown = [
    '--network',
    'host',
    '--read-only',
    '--tmpfs',
    '/tmp',
    '--cap-drop',
    'ALL',
    '--user',
    '1000:1000',
  ];

  it('cli: runs `minato migrate` locked down', async () => {
    const env = Object.entries(h.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const { stdout } = await run('docker', [
      'run',
      '--rm',
      ...lockedDown,
      ...env,
      `minato/cli:${imageTag}`,
      'migrate',
    ]);
    expect(stdout).toMatch(/schema is up to date/);
  });

  it.each(workers)(
    '%s-worker: starts locked down, gets ready, and exits 0 after its drain on docker stop',
    async (worker) => {
      const port = await freePort();
      const env = {
        ...h.env,
        METRICS_PORT: String(port),
        TMDB_BASE_URL: tmdb.baseUrl,
        TMDB_API_KEY: 'minato-dev-key',
      };
      const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      const { stdout } = await run('docker', [
        'run',
        '-d',
        ...lockedDown,
        ...envArgs,
        `minato/${worker}-worker:${imageTag}`,
      ]);
      const id = stdout.trim();
      try {
        await waitFor(
          `container ${id} on ${port} to be ready`,
          async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).ok,
          {
            timeoutMs: 120_000,
          },
        ).catch(async (error: unknown) => {
          const { stdout: logs } = await run('docker', ['logs', id]).catch(() => ({ stdout: '' }));
          throw new Error(`${(error as Error).message}; its logs:\n${logs}`);
        });
        await run('docker', ['stop', '--time', '45', id]);
        const { stdout: state } = await run('docker', ['inspect', '--format', '{{.State.ExitCode}}', id]);
        const { stdout: logs } = await run('docker', ['logs', id]);
        expect(state.trim(), logs).toBe('0');
        expect(logs).toMatch(/"msg":"drained"/);
      } finally {
        await run('docker', ['rm', '--force', id]).catch(() => undefined);
      }
    },
  );
});
