import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { within } from './within.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('within', () => {
  it('settles as the work does when it is in time, and clears its timer', async () => {
    await expect(within(1_000, Promise.resolve(7), 'late')).resolves.toBe(7);
    await expect(within(1_000, Promise.reject(new Error('refused')), 'late')).rejects.toThrow('refused');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with its message once the time is up', async () => {
    const late = within(1_000, new Promise(() => undefined), 'no answer within 1000 ms');
    const settled = expect(late).rejects.toThrow('no answer within 1000 ms');
    await vi.advanceTimersByTimeAsync(1_000);
    await settled;
  });
});
