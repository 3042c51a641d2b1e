import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SearchUnavailableError, TmdbAuthError } from '../errors.js';
import { createLogger } from '../logging/index.js';
import { QueueParking, type Probe } from './queue-parking.js';

const logger = createLogger({ level: 'silent', format: 'json' });

function setup(probes: Partial<Record<'redis' | 'postgres' | 'elasticsearch' | 'tmdb', Probe>> = {}) {
  const registry = new Registry();
  const calls: string[] = [];
  const ok: Probe = () => Promise.resolve();
  const parking = new QueueParking({
    queue: 'CLASSIFY',
    stop: () => calls.push('stop'),
    start: () => calls.push('start'),
    probes: { redis: ok, postgres: ok, elasticsearch: ok, tmdb: ok, ...probes },
    logger,
    registry,
    firstProbeMs: 100,
    maxProbeMs: 400,
  });
  const gauge = async (cause: string) =>
    (await registry.getSingleMetric('minato_worker_parked')?.get())?.values.find(
      (v) => v.labels.cause === cause,
    )?.value;
  return { parking, calls, gauge };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('QueueParking', () => {
  it('stops the worker once for many failing jobs, probes with doubling backoff, and starts it when the probe answers', async () => {
    let tmdbUp = false;
    const probeTimes: number[] = [];
    const { parking, calls, gauge } = setup({
      tmdb: () => {
        probeTimes.push(Date.now());
        return tmdbUp ? Promise.resolve() : Promise.reject(new Error('401'));
      },
    });
    const error = new TmdbAuthError('TMDB rejected the API key (401 on search/movie)');
    const started = Date.now();
    expect(await Promise.all([1, 2, 3].map(() => parking.park(error, error.outage)))).toEqual([
      true,
      true,
      true,
    ]);
    expect(calls).toEqual(['stop']);
    expect(parking.state).toMatchObject({ cause: 'tmdb', reason: error.message });
    expect(await gauge('tmdb')).toBe(1);
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 400);
    expect(probeTimes.map((t) => t - started)).toEqual([100, 300, 700, 1_100]);
    expect(calls).toEqual(['stop']);
    tmdbUp = true;
    await vi.advanceTimersByTimeAsync(400);
    expect(calls).toEqual(['stop', 'start']);
    expect(parking.state).toBeNull();
    expect(await gauge('tmdb')).toBe(0);
  });

  it('blames a connection failure on the dependency whose probe fails, names what the probe found, and does not park when all answer', async () => {
    // What a job sees when the server closes its connection: nothing in it says which server.
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5442'), { code: 'ECONNREFUSED' });
    const healthy = setup();
    expect(await healthy.parking.park(reset, 'unreachable')).toBe(false);
    expect(healthy.calls).toEqual([]);

    const { parking, calls } = setup({ postgres: () => Promise.reject(refused) });
    expect(await parking.park(reset, 'unreachable')).toBe(true);
    expect(parking.state).toMatchObject({
      cause: 'postgres',
      reason: 'read ECONNRESET (connect ECONNREFUSED 127.0.0.1:5442)',
    });
    expect(calls).toEqual(['stop']);
  });

  it('blames a dependency whose probe hangs, naming it and the probe timeout', async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const { parking } = setup({ redis: () => new Promise(() => undefined) });
    const parked = parking.park(reset, 'unreachable');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await parked).toBe(true);
    expect(parking.state).toMatchObject({
      cause: 'redis',
      reason: 'read ECONNRESET (redis did not answer its probe within 5000 ms)',
    });
  });

  it('puts back a job that reports an outage it met before the last resume, parking again only if a probe finds the dependency down now', async () => {
    let up = false;
    const { parking, calls } = setup({
      elasticsearch: () => (up ? Promise.resolve() : Promise.reject(new Error('down'))),
    });
    const error = new SearchUnavailableError('bulk request failed: connect ECONNREFUSED');
    const jobStarted = Date.now();
    const resume = async () => {
      up = true;
      await vi.advanceTimersByTimeAsync(100);
    };
    expect(await parking.park(error, error.outage, jobStarted)).toBe(true);
    await resume();
    expect(calls).toEqual(['stop', 'start']);

    // The job's last document settles after the recovery, with the error it met while the node was down.
    expect(await parking.park(error, error.outage, jobStarted)).toBe(true);
    expect(parking.state).toBeNull();
    expect(calls).toEqual(['stop', 'start']);
    // A job started after the resume is taken at its word.
    expect(await parking.park(error, error.outage, Date.now())).toBe(true);
    expect(calls).toEqual(['stop', 'start', 'stop']);
    await resume();
    // A leftover error while the node is down again parks the queue again.
    up = false;
    expect(await parking.park(error, error.outage, jobStarted)).toBe(true);
    expect(parking.state).toMatchObject({ cause: 'elasticsearch' });
    expect(calls).toEqual(['stop', 'start', 'stop', 'start', 'stop']);
  });

  it('stops probing once closed, so a drain is not undone by a resume', async () => {
    const error = new TmdbAuthError('TMDB rejected the API key (401 on search/movie)');
    const { parking, calls } = setup();
    await parking.park(error, error.outage);
    parking.close();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual(['stop']);
  });
});
