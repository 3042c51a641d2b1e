import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('never runs more tasks at once than it has permits, and runs them all', async () => {
    const gate = new Semaphore(2);
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
    };
    await Promise.all(Array.from({ length: 7 }, () => gate.run(task)));
    expect(most).toBe(2);
    expect(running).toBe(0);
  });
});
