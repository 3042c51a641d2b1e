import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { componentLogger, createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination };
}

describe('logger', () => {
  it('tags each line with its component and never writes a secret', () => {
    const { lines, destination } = capture();
    const logger = componentLogger(
      createLogger({ level: 'info', format: 'json', destination }),
      'ingest-worker',
    );
    const config = loadConfig({
      TMDB_API_KEY: 'tmdb-secret',
      REDIS_PASSWORD: 'redis-secret',
      ELASTICSEARCH_API_KEY: 'es-secret',
    });
    logger.info({ config, headers: { authorization: 'Bearer tok' }, api_key: 'q-secret' }, 'starting');
    const text = lines.join('');
    expect(JSON.parse(text)).toMatchObject({ component: 'ingest-worker', msg: 'starting' });
    for (const secret of [
      'tmdb-secret',
      'redis-secret',
      'es-secret',
      'Bearer tok',
      'q-secret',
      'minato:minato@',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('prefixes pretty lines with the seed prefix of the component', () => {
    const { lines, destination } = capture();
    const root = createLogger({ level: 'info', format: 'pretty', destination });
    componentLogger(root, 'rate-limiter').info('waiting 500 ms');
    componentLogger(root, 'enrichment-worker').info('matched');
    expect(lines.join('')).toMatch(/\[Rate Limiter\] waiting 500 ms[\s\S]*\[Enrichment Worker\] matched/);
  });
});
