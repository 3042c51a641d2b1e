import { describe, expect, it } from 'vitest';
import { runNode, withOutput, type WorkerName } from '../support/worker-processes.js';

describe('a worker started with a bad environment', () => {
  it.each<[WorkerName, string, string, RegExp]>([
    [
      'ingest',
      'ELASTICSEARCH_NODE',
      'localhost:9200',
      /^ingest-worker: invalid configuration: ELASTICSEARCH_NODE must be an http\(s\) URL like http:\/\/host:port, or several separated by commas, got "localhost:9200"$/,
    ],
    [
      'sync',
      'REDIS_PORT',
      'abc',
      /^sync-worker: invalid configuration: REDIS_PORT must be a number, got "abc"$/,
    ],
    [
      'ingest',
      'ES_BUFFER_MAX_DOCS',
      '-5',
      /^ingest-worker: invalid configuration: ES_BUFFER_MAX_DOCS must be greater than 0, got "-5"$/,
    ],
    [
      'enrichment',
      'TMDB_API_KEY',
      '',
      /^enrichment-worker: invalid configuration: TMDB_API_KEY is required by the enrichment worker/,
    ],
  ])(
    '%s worker with %s=%s stops at start-up with one line naming it',
    async (worker, name, value, message) => {
      const result = await runNode([`packages/${worker}-worker/dist/main.js`], { [name]: value });
      expect(result.code, withOutput(result)).toBe(1);
      const lines = result.output.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    },
  );
});
