import { afterAll, afterEach } from 'vitest';
import { killLeftoverProcesses, secretsWritten, takeDeaths } from './worker-processes.js';

// Loaded by the integration config (setupFiles). A worker that died during a test says so, with its last output,
// even when the test's own assertion was about something else (a count that never arrived, a timeout); and a
// file that failed halfway leaves no process behind.
afterEach(() => {
  for (const death of takeDeaths()) console.error(`a worker died during this test: ${death}`);
});
// Secrets never appear in logs (DESIGN.md, Contracts): held of every process every file starts, not only of the
// scenario secrets-in-output.test.ts builds. Checked once the processes are gone, so their output is complete.
afterAll(async () => {
  await killLeftoverProcesses();
  const written = secretsWritten();
  if (written.length > 0) {
    throw new Error(`secrets in the output of this file's processes:\n${written.join('\n')}`);
  }
});
