import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createLogger,
  createRedis,
  readWorkerStates,
  redisConnectionOptions,
  redisKeys,
  WORKER_STATE_TTL_MS,
  WorkerStatePublisher,
  type WorkerState,
} from '@minato/core';
import { testConfig, uniqueName } from '../support/test-env.js';
import { waitFor } from '../support/wait-for.js';

const logger = createLogger({ level: 'silent', format: 'json' });
const redis = createRedis(redisConnectionOptions(testConfig()));
const publishers: WorkerStatePublisher[] = [];

afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.close()));
});

function publisher(key: string, queue: string, current: () => Pick<WorkerState, 'state' | 'parked'>) {
  const created = new WorkerStatePublisher({ redis, key, queue, instance: `host:${queue}`, current, logger });
  publishers.push(created);
  return created;
}

describe('worker state in Redis', () => {
  it("publishes each worker's state under the queue prefix, with the cause and fix of a parking, and drops it on close", async () => {
    await waitFor('redis', () => redis.status === 'ready');
    const key = redisKeys(uniqueName('ws')).workerStates;
    const parked = {
      cause: 'tmdb' as const,
      reason: 'TMDB rejected the API key',
      fix: 'set TMDB_API_KEY',
      since: new Date().toISOString(),
    };
    let classify: Pick<WorkerState, 'state' | 'parked'> = { state: 'ready', parked: null };
    const ingest = publisher(key, 'TORRENT_INGEST', () => ({ state: 'ready', parked: null }));
    const enrichment = publisher(key, 'CLASSIFY', () => classify);
    await Promise.all([ingest.publish(), enrichment.publish()]);
    expect((await readWorkerStates(redis, key)).map((s) => [s.queue, s.state])).toEqual([
      ['CLASSIFY', 'ready'],
      ['TORRENT_INGEST', 'ready'],
    ]);
    classify = { state: 'parked', parked };
    await enrichment.publish();
    expect((await readWorkerStates(redis, key))[0]).toMatchObject({
      queue: 'CLASSIFY',
      state: 'parked',
      parked,
    });
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    await enrichment.close();
    expect((await readWorkerStates(redis, key)).map((s) => s.queue)).toEqual(['TORRENT_INGEST']);
    await redis.del(key);
  });

  it('leaves out an entry older than the expiry, and a live worker removes it at its next publication', async () => {
    const key = redisKeys(uniqueName('ws')).workerStates;
    const gone: WorkerState = {
      queue: 'ES_SYNC',
      instance: 'old:1',
      state: 'ready',
      parked: null,
      at: Date.now() - WORKER_STATE_TTL_MS - 1,
    };
    await redis.hset(key, 'ES_SYNC:old:1', JSON.stringify(gone), 'garbage', 'not json');
    expect(await readWorkerStates(redis, key)).toEqual([]);
    await publisher(key, 'ES_SYNC', () => ({ state: 'ready', parked: null })).publish();
    expect(Object.keys(await redis.hgetall(key))).toEqual(['ES_SYNC:host:ES_SYNC']);
    await redis.del(key);
  });
});

afterAll(async () => {
  await redis.quit();
});
