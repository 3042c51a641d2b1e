import { afterAll, afterEach } from 'vitest';
import { killLeftoverProcesses, takeDeaths } from './worker-processes.js';

// Loaded by the integration config (setupFiles). A worker that died during a test says so, with its last output,
// even when the test's own assertion was about something else (a count that never arrived, a timeout); and a
// file that failed halfway leaves no process behind.
afterEach(() => {
  for (const death of takeDeaths()) console.error(`a worker died during this test: ${death}`);
});
afterAll(killLeftoverProcesses);
