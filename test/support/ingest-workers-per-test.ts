import { pipelinePerTest } from './pipeline-per-test.js';

/**
 * For a describe block: each test gets a fresh harness (`h`), and `start` runs an ingest worker on it, ready;
 * the workers and the harness are closed after each test.
 */
export function ingestWorkersPerTest() {
  const pipeline = pipelinePerTest();
  return {
    get h() {
      return pipeline.h;
    },
    start: (extra: Record<string, string> = {}) => pipeline.start('ingest', extra),
  };
}
