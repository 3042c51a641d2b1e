import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createRateLimiterMetrics, TokenBucket, type Sleep } from '@minato/core';

// DESIGN.md guarantee 3, proven against the real Redis with replicas that are real processes.

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixture = fileURLToPath(new URL('../fixtures/bucket-client.ts', import.meta.url));
const silent = createLogger({ level: 'silent', format: 'json' });

interface Replica {
  child: ChildProcess;
  /** Redis server times of this replica's grants, microseconds */
  grants: number[];
  stderr: string[];
}

let redis: Redis;
const keys: string[] = [];
const replicas: Replica[] = [];

function newKey(): string {
  const key = `minato:test:bucket:${randomUUID()}`;
  keys.push(key);
  return key;
}

function startReplica(key: string, capacity: number, refillPerSecond: number, concurrency: number): Replica {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fixture,
      key,
      String(capacity),
      String(refillPerSecond),
      String(concurrency),
      '60000',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const replica: Replica = { child, grants: [], stderr: [] };
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { event: string; atUs: number };
    if (message.event === 'grant') replica.grants.push(message.atUs);
  });
  child.stderr.on('data', (chunk: Buffer) => replica.stderr.push(chunk.toString()));
  replicas.push(replica);
  return replica;
}

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const timeout = new AbortController();
  try {
    return await Promise.race([
      promise,
      delay(ms, undefined, { signal: timeout.signal }).then(() => {
        throw new Error(`${what} did not happen within ${String(ms)} ms`);
      }),
    ]);
  } finally {
    timeout.abort();
  }
}

async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${String(ms)} ms`);
    await delay(25);
  }
}

/** Stops replicas the way Kubernetes does and waits for a clean exit. */
async function stopReplicas(stopping: Replica[]): Promise<void> {
  await Promise.all(
    stopping.map(async ({ child, stderr }) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await withDeadline(exited, 10_000, `replica ${String(child.pid)} exit`)) as [
        number | null,
      ];
      expect(code, stderr.join('')).toBe(0);
    }),
  );
}

/**
 * The tightest window between two grants: the most grants over the bound capacity + refill·(b − a).
 * The stamps are the very clock readings the script refilled with, so the bound is exact for closed windows
 * [a, b]; the +1 an end-to-end check would allow for the jitter between a grant and its HTTP request is not needed.
 */
function tightestWindow(sortedUs: number[], capacity: number, refillPerSecond: number) {
  let tightest = { count: 0, allowed: Infinity, seconds: 0 };
  for (let i = 0; i < sortedUs.length; i++) {
    for (let j = i; j < sortedUs.length; j++) {
      const seconds = (sortedUs[j]! - sortedUs[i]!) / 1e6;
      const count = j - i + 1;
      const allowed = capacity + refillPerSecond * seconds;
      if (count - allowed > tightest.count - tightest.allowed) tightest = { count, allowed, seconds };
    }
  }
  return tightest;
}

/** A sleep that records what the bucket asked for and then really sleeps. */
function recordingSleep(asked: number[]): Sleep {
  return async (ms, signal) => {
    asked.push(ms);
    await delay(ms, undefined, { signal });
  };
}

beforeAll(() => {
  redis = new Redis({ host: '127.0.0.1', port: 6379 });
});

afterEach(async () => {
  for (const { child } of replicas.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  if (keys.length > 0) await redis.del(...keys.splice(0));
});

afterAll(async () => {
  await redis.quit();
});

describe('TokenBucket', () => {
  it.each([
    { capacity: 20, refill: 2, runSeconds: 10 },
    { capacity: 5, refill: 50, runSeconds: 3 },
  ])(
    'never lets three replicas exceed $capacity + $refill·t grants',
    async ({ capacity, refill, runSeconds }) => {
      const key = newKey();
      const three = [0, 1, 2].map(() => startReplica(key, capacity, refill, 5));
      const merged = (): number[] => three.flatMap((r) => r.grants).sort((a, b) => a - b);
      const span = (): number => {
        const all = merged();
        return all.length === 0 ? 0 : (all[all.length - 1]! - all[0]!) / 1e6;
      };

      await waitFor(
        () => span() >= runSeconds && three.every((r) => r.grants.length > 0),
        (runSeconds + 15) * 1000,
        `${String(runSeconds)} s of grants shared by three replicas`,
      );
      await stopReplicas(three);

      const all = merged();
      const allowedOverRun = capacity + refill * span();
      const utilization = all.length / allowedOverRun;
      const tightest = tightestWindow(all, capacity, refill);
      console.info(
        `bucket ${String(capacity)}/${String(refill)}/s: ${String(all.length)} grants over ${span().toFixed(2)} s ` +
          `(per replica ${three.map((r) => r.grants.length).join('/')}), utilization ${(utilization * 100).toFixed(1)}%, ` +
          `tightest window ${String(tightest.count)} grants in ${tightest.seconds.toFixed(3)} s ` +
          `vs ${tightest.allowed.toFixed(3)} allowed`,
      );
      expect(tightest.count).toBeLessThanOrEqual(tightest.allowed);
      expect(utilization).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('pauses every replica for the Retry-After of a 429', async () => {
    const key = newKey();
    const logLines: string[] = [];
    const registry = new Registry();
    const metrics = createRateLimiterMetrics(registry);
    const bucket = new TokenBucket({
      redis,
      key,
      capacity: 2,
      refillPerSecond: 10,
      logger: createLogger({
        level: 'info',
        format: 'json',
        destination: { write: (line) => logLines.push(line) },
      }),
      metrics,
    });
    const three = [0, 1, 2].map(() => startReplica(key, 2, 10, 2));
    await waitFor(() => three.every((r) => r.grants.length > 0), 20_000, 'a grant for every replica');

    const { fromUs, untilUs } = await bucket.pause(3000);
    await waitFor(
      () => three.every((r) => r.grants.some((at) => at >= untilUs)),
      10_000,
      'every replica taking tokens again after the pause',
    );
    await stopReplicas(three);

    const all = three.flatMap((r) => r.grants);
    expect(untilUs - fromUs).toBe(3_000_000);
    expect(all.filter((at) => at >= fromUs && at < untilUs)).toEqual([]);
    const firstAfter = Math.min(...all.filter((at) => at >= untilUs));
    console.info(
      `first grant after the pause came ${((firstAfter - untilUs) / 1000).toFixed(1)} ms after its end`,
    );
    expect(firstAfter - untilUs).toBeLessThanOrEqual(500_000);
    expect(await registry.getSingleMetricAsString('minato_tmdb_rate_limited_pauses_total')).toMatch(/ 1$/m);
    const info = logLines.map((line) => JSON.parse(line) as { component: string; msg: string });
    expect(info).toContainEqual(
      expect.objectContaining({
        component: 'rate-limiter',
        msg: 'TMDB asked us to pause for 3s; all replicas wait',
      }),
    );
  });

  it('sleeps exactly the whole-millisecond waits the script returns, without polling', async () => {
    const key = newKey();
    const asked: number[] = [];
    const registry = new Registry();
    const bucket = new TokenBucket({
      redis,
      key,
      capacity: 1,
      refillPerSecond: 10,
      logger: silent,
      metrics: createRateLimiterMetrics(registry),
      sleep: recordingSleep(asked),
    });

    const grants = [];
    for (let i = 0; i < 6; i++) grants.push(await bucket.acquire());

    expect(asked.length).toBeGreaterThanOrEqual(5);
    for (const ms of asked) {
      expect(Number.isInteger(ms)).toBe(true);
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(100);
    }
    // A timer may fire a hair before Redis's clock agrees; that costs one more short round trip, not a poll loop.
    expect(asked.length).toBeLessThanOrEqual(10);
    for (let i = 1; i < grants.length; i++) {
      expect(grants[i]!.atUs - grants[i - 1]!.atUs).toBeGreaterThanOrEqual(100_000);
    }
    expect(await registry.getSingleMetricAsString('minato_rate_limiter_tokens_granted_total')).toMatch(
      / 6$/m,
    );
    expect(await registry.getSingleMetricAsString('minato_rate_limiter_wait_seconds')).toMatch(
      /minato_rate_limiter_wait_seconds_count 6$/m,
    );
  });

  it('rejects an acquire promptly when its signal aborts during the sleep', async () => {
    const key = newKey();
    let sleeping: () => void = () => {};
    const asleep = new Promise<void>((resolve) => (sleeping = resolve));
    // The bucket logs each wait just before it sleeps; the default sleep is the one under test.
    const bucket = new TokenBucket({
      redis,
      key,
      capacity: 1,
      refillPerSecond: 0.1,
      logger: createLogger({ level: 'debug', format: 'json', destination: { write: () => sleeping() } }),
    });
    await bucket.acquire();

    const shutdown = new AbortController();
    const acquiring = bucket.acquire(shutdown.signal);
    await withDeadline(asleep, 5_000, 'the second acquire going to sleep');
    const abortedAt = performance.now();
    shutdown.abort();

    await expect(acquiring).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - abortedAt).toBeLessThan(100);
  });

  it('lets its key expire once the bucket would be full again, and keeps it through a pause', async () => {
    const key = newKey();
    const bucket = new TokenBucket({ redis, key, capacity: 20, refillPerSecond: 2, logger: silent });

    await bucket.acquire();
    const afterGrant = await redis.pttl(key);
    expect(afterGrant).toBeGreaterThan(0);
    expect(afterGrant).toBeLessThanOrEqual(500);

    await bucket.pause(3000);
    expect(await redis.pttl(key)).toBeGreaterThan(2_500);
  });
});
