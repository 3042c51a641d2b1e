import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STUCK_EXIT_CODE } from '@minato/core';
import { readiness } from '../support/parked-worker.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { ownPort, startOwnRedis, stopOwnRedis } from '../support/local-services.js';
import { waitFor } from '../support/wait-for.js';
import {
  startReadyWorker,
  stopProcess,
  takeDeaths,
  type RunningProcess,
} from '../support/worker-processes.js';

// This file's own Redis.
const port = ownPort(6420);

describe('a worker whose blocking connection cannot come back', () => {
  let h: Harness | undefined;
  let worker: RunningProcess | undefined;
  let admin: Redis;
  beforeAll(async () => {
    await startOwnRedis(port);
    admin = new Redis({ port });
  });
  afterAll(async () => {
    admin.disconnect();
    await stopOwnRedis(port);
  });
  afterEach(async () => {
    await admin.config('SET', 'maxclients', '10000');
    if (worker) await stopProcess(worker);
    worker = undefined;
    await h?.close();
    h = undefined;
  });

  it('is not ready while stuck, then exits with status 75; its restart takes every job', async () => {
    h = await createHarness({ REDIS_PORT: String(port) });
    const env = { ...h.env, RECONCILE_EVERY_MS: '0', WORKER_STUCK_AFTER_MS: '5000' };
    const started = await startReadyWorker('ingest', env);
    worker = started.worker;
    const torrents = await h.seed(100);
    const hashes = torrents.map((t) => t.infoHash);
    // The stuck state, with real parts: the worker's blocking connection is cut, and Redis, full, refuses it
    // every time it reconnects, while the worker's other connection keeps working. Full before the cut: the
    // limit is set one below the clients connected, so the slot the cut frees is never there to take back.
    const blocking = await waitFor(
      'the worker to block on its queue',
      async () =>
        ((await admin.client('LIST')) as string)
          .split('\n')
          .find((line) => / cmd=bzpopmin /.test(line))
          ?.match(/^id=(\d+) /)?.[1],
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const connected = ((await admin.client('LIST')) as string).trim().split('\n').length;
    await admin.config('SET', 'maxclients', String(connected - 1));
    await admin.client('KILL', 'ID', blocking);
    await h.enqueueIngest(hashes);

    const answers: number[] = [];
    const exit = await waitFor(
      'the watchdog to end the stuck worker',
      async () => {
        const { status } = await readiness(started.port).catch(() => ({ status: 0 }));
        answers.push(status);
        return worker!.child.exitCode;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    ).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}; /readyz: ${answers.join(',')}; output:\n${worker!.tail(20)}`,
      );
    });
    expect(exit, worker.tail(20)).toBe(STUCK_EXIT_CODE);
    // the exit was this test's aim, not a death to report
    await worker.exited;
    expect(takeDeaths()).toHaveLength(1);
    expect(answers).toContain(503);
    expect(await h.pgIndexed(hashes)).toBe(0);

    // Kubernetes starts a fresh process; here the test does, once Redis has room again.
    await admin.config('SET', 'maxclients', '10000');
    worker = (await startReadyWorker('ingest', env)).worker;
    await waitFor('every torrent to be indexed', async () => (await h!.pgIndexed(hashes)) === hashes.length, {
      timeoutMs: 60_000,
    });
  });
});
