import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  createRateLimiterMetrics,
  TokenBucket,
  type GrantingNode,
  type Sleep,
} from '@minato/core';
import { describeWindow, tightestWindow } from '../support/rate-windows.js';
import { waitFor } from '../support/wait-for.js';

// docs/guarantees.md, "The TMDB limit holds across replicas": proven against the real Redis with replicas that
// are real processes, from the grants the bucket itself recorded on Redis time.

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
  keys.push(key, `${key}:ledger`);
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

/** Stops replicas the way Kubernetes does and waits for a clean exit. */
async function stopReplicas(stopping: Replica[]): Promise<void> {
  await Promise.all(
    stopping.map(async ({ child, stderr }) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code, stderr.join('')).toBe(0);
    }),
  );
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
    'never lets three replicas exceed $capacity + $refill·t grants in any window',
    async ({ capacity, refill, runSeconds }) => {
      const key = newKey();
      const ledger = new TokenBucket({ redis, key, capacity, refillPerSecond: refill, logger: silent });
      const three = [0, 1, 2].map(() => startReplica(key, capacity, refill, 5));
      const span = async (): Promise<number> => {
        const { grants } = await ledger.ledger();
        return grants.length < 2 ? 0 : (grants.at(-1)! - grants[0]!) / 1e6;
      };

      await waitFor(
        `${String(runSeconds)} s of grants shared by three replicas`,
        async () => (await span()) >= runSeconds && three.every((r) => r.grants.length > 0),
        { timeoutMs: 120_000 },
      );
      await stopReplicas(three);

      const { grants } = await ledger.ledger();
      const printed = three.flatMap((r) => r.grants).sort((a, b) => a - b);
      const tightest = tightestWindow(grants, capacity, refill);
      console.info(
        describeWindow(
          `bucket ${String(capacity)}/${String(refill)}/s, ${String(grants.length)} grants`,
          tightest,
        ),
      );
      // The ledger and what the replicas were told are the same grants.
      expect(grants).toEqual(printed);
      expect(tightest.count).toBeLessThanOrEqual(tightest.allowed);
      // Utilisation is a ratio of the bucket's own counts: waiting exactly as long as Redis says wastes nothing.
      expect(tightest.utilisation).toBeGreaterThanOrEqual(0.9);
    },
  );

  it('pauses every replica for the Retry-After of a 429, with no grant inside the pause', async () => {
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
    await waitFor('a grant for every replica', () => three.every((r) => r.grants.length > 0), {
      timeoutMs: 60_000,
    });

    await bucket.pause(3000);
    const [pause] = (await bucket.ledger()).pauses;
    await waitFor(
      'every replica taking tokens again after the pause',
      () => three.every((r) => r.grants.some((at) => at >= pause!.untilUs)),
      { timeoutMs: 60_000 },
    );
    await stopReplicas(three);

    const { grants, pauses } = await bucket.ledger();
    expect(pauses).toHaveLength(1);
    expect(pause!.untilUs - pause!.fromUs).toBe(3_000_000);
    expect(grants.filter((at) => at >= pause!.fromUs && at < pause!.untilUs)).toEqual([]);
    const firstAfter = Math.min(...grants.filter((at) => at >= pause!.untilUs));
    console.info(
      `first grant after the pause came ${((firstAfter - pause!.untilUs) / 1000).toFixed(1)} ms after its end`,
    );
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
    // The script's own answers, read where the bucket reads them: how long the machine takes between two acquires
    // decides how many of them find the bucket empty, not whether each sleep is the wait the script gave.
    const returned: number[] = [];
    const registry = new Registry();
    const bucket = new TokenBucket({
      redis: recordingTakeToken(redis, returned),
      key,
      capacity: 1,
      refillPerSecond: 10,
      logger: silent,
      metrics: createRateLimiterMetrics(registry),
      sleep: recordingSleep(asked),
    });

    const grants = [];
    for (let i = 0; i < 6; i++) grants.push(await bucket.acquire());

    expect(asked).toEqual(returned);
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

  it('rejects an acquire with AbortError when its signal aborts during the sleep, taking no token', async () => {
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
    await asleep;
    shutdown.abort();

    // The sleep asked for is 10 s; the rejection must come from the abort, not from the sleep ending.
    await expect(acquiring).rejects.toMatchObject({ name: 'AbortError' });
    expect(await redis.hget(key, 'tokens')).toBe('0');
  });

  it('spends only grants its fence confirms, names the granting node to it, and leaves a refused one unspent', async () => {
    const key = newKey();
    const asked: GrantingNode[] = [];
    const registry = new Registry();
    const bucket = new TokenBucket({
      redis,
      key,
      capacity: 5,
      refillPerSecond: 1,
      logger: silent,
      metrics: createRateLimiterMetrics(registry),
      sleep: () => Promise.resolve(),
      // refuses the first grant, as for a master whose replica was just promoted
      fence: { confirm: (node) => Promise.resolve(asked.push(node) > 1) },
    });

    await bucket.acquire();

    const runId = /run_id:(\w+)/.exec(await redis.info('server'))?.[1];
    const replicas = Number(/connected_slaves:(\d+)/.exec(await redis.info('replication'))?.[1]);
    expect(asked).toEqual([
      { runId, replicas },
      { runId, replicas },
    ]);
    // both tokens were taken and recorded; one call was allowed
    expect((await bucket.ledger()).grants).toHaveLength(2);
    expect(await registry.getSingleMetricAsString('minato_rate_limiter_grants_withheld_total')).toMatch(
      / 1$/m,
    );
    expect(await registry.getSingleMetricAsString('minato_rate_limiter_tokens_granted_total')).toMatch(
      / 1$/m,
    );
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

/** `redis`, with every non-zero wait its token script returns appended to `waits`. */
function recordingTakeToken(redis: Redis, waits: number[]): Redis {
  return new Proxy(redis, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property !== 'minatoTakeToken') return (value as (...a: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        const answer = await (value as (...a: unknown[]) => Promise<number[]>).apply(target, args);
        if (answer[0]! > 0) waits.push(answer[0]!);
        return answer;
      };
    },
  });
}
