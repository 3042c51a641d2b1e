import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { StuckWorkerWatchdog } from './stuck-worker-watchdog.js';

function watchdog(overrides: {
  backlog?: number;
  status?: string;
  taken?: () => number;
  inFlight?: number;
  stuckAfterMs?: number;
}) {
  const stuck: string[] = [];
  const dog = new StuckWorkerWatchdog({
    queue: 'CLASSIFY',
    backlog: () => Promise.resolve(overrides.backlog ?? 5),
    taken: overrides.taken ?? (() => 0),
    inFlight: () => overrides.inFlight ?? 0,
    expectedToTake: () => true,
    blockingStatus: () => Promise.resolve(overrides.status ?? 'end'),
    stuckAfterMs: overrides.stuckAfterMs ?? 0,
    checkEveryMs: 1_000,
    onStuck: (state) => stuck.push(state.reason),
    logger: pino({ level: 'silent' }),
  });
  return { dog, stuck };
}

describe('StuckWorkerWatchdog', () => {
  it('ends a worker with jobs waiting, none taken and none running, naming its blocking connection’s state', async () => {
    const { dog, stuck } = watchdog({});
    await dog.check();
    await dog.check();
    expect(stuck).toEqual([
      'CLASSIFY has 5 jobs waiting and took none (its blocking Redis connection says end)',
    ]);
  });

  it('ends a stuck worker whose blocking connection says ready, as a Redis Cluster client does', async () => {
    const { dog, stuck } = watchdog({ status: 'ready' });
    await dog.check();
    await dog.check();
    expect(stuck).toHaveLength(1);
  });

  it('shows the suspicion to /readyz before it acts', async () => {
    const { dog, stuck } = watchdog({ stuckAfterMs: 60_000 });
    await dog.check();
    await dog.check();
    expect(dog.state).toMatchObject({ cause: 'redis' });
    expect(stuck).toEqual([]);
  });

  it.each([
    ['an empty queue', { backlog: 0 }],
    ['a job running', { inFlight: 1 }],
  ])('leaves alone a worker with %s', async (_, overrides) => {
    const { dog, stuck } = watchdog(overrides);
    await dog.check();
    await dog.check();
    expect(dog.state).toBeNull();
    expect(stuck).toEqual([]);
  });

  it('leaves alone a worker that takes jobs, whatever its connection says', async () => {
    let taken = 0;
    const { dog, stuck } = watchdog({ taken: () => (taken += 1) });
    for (let i = 0; i < 3; i += 1) await dog.check();
    expect(stuck).toEqual([]);
  });
});
