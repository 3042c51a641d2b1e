import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { ownPort, startOwnRedis, stopOwnRedis } from '../support/local-services.js';
import { waitFor } from '../support/wait-for.js';
import {
  startReadyWorker,
  startWorker,
  stopProcess,
  type RunningProcess,
} from '../support/worker-processes.js';

// Redis instances of this file's own: the shared 6379 has no password and must not be restarted.
const PASSWORD_PORT = ownPort(6393);
const TLS_PORT = ownPort(6394);
const password = 'minato-redis-test-pw';
const tls = { password, tls: true };

describe('REDIS_PASSWORD and Redis over TLS, against real redis-server instances', () => {
  let tlsCaFile = '';
  let h: Harness | undefined;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    await startOwnRedis(PASSWORD_PORT, { password });
    tlsCaFile = (await startOwnRedis(TLS_PORT, tls)).caFile ?? '';
  }, 60_000);
  afterEach(async () => {
    if (worker) await stopProcess(worker);
    await h?.close();
    worker = undefined;
    h = undefined;
  });
  afterAll(async () => {
    await stopOwnRedis(PASSWORD_PORT, { password });
    await stopOwnRedis(TLS_PORT, tls);
  });

  const ingestsThrough = async (env: Record<string, string>) => {
    h = await createHarness(env);
    const hashes = (await h.seed(20)).map((t) => t.infoHash);
    worker = (await startReadyWorker('ingest', h.env)).worker;
    await h.enqueueIngest(hashes);
    await waitFor('20 torrents indexed', async () => (await h!.pgIndexed(hashes)) === 20, {
      timeoutMs: 60_000,
    });
  };

  it('runs a worker against a Redis with requirepass when REDIS_PASSWORD is right', async () => {
    await ingestsThrough({ REDIS_PORT: String(PASSWORD_PORT), REDIS_PASSWORD: password });
  });

  it.each([
    ['a wrong REDIS_PASSWORD', { REDIS_PASSWORD: 'not-the-password' }, 'WRONGPASS'],
    ['no REDIS_PASSWORD', {}, 'NOAUTH'],
  ])('stops start-up with %s, naming the variable and not the value', async (_, extra, code) => {
    worker = startWorker('ingest', { REDIS_PORT: String(PASSWORD_PORT), REDIS_PASSWORD: '', ...extra });
    const { code: exit } = await worker.exited;
    expect(exit, worker.output()).toBe(1);
    expect(worker.output()).toContain(
      `ingest-worker: invalid configuration: Redis at 127.0.0.1:${PASSWORD_PORT} refused the connection (${code}): check REDIS_PASSWORD`,
    );
    expect(worker.output()).not.toContain('not-the-password');
  });

  it('runs a worker over TLS with REDIS_TLS and the CA in REDIS_CA_FILE', async () => {
    await ingestsThrough({
      REDIS_PORT: String(TLS_PORT),
      REDIS_PASSWORD: password,
      REDIS_TLS: 'true',
      REDIS_CA_FILE: tlsCaFile,
    });
  });
});
