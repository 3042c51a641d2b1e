import { describe, expect, it } from 'vitest';
import { tmdbBucketKey } from './redis-keys.js';

describe('tmdbBucketKey', () => {
  const tmdb = 'https://api.themoviedb.org/3';

  it('names one bucket per TMDB key, in one Redis Cluster slot, without the key in it', () => {
    const key = tmdbBucketKey(tmdb, 'secret-key');
    expect(key).toMatch(/^minato:tmdb:\{[0-9a-f]{16}\}:bucket$/);
    expect(key).not.toContain('secret-key');
    expect(tmdbBucketKey(`${tmdb}/`, 'secret-key')).toBe(key);
    expect(tmdbBucketKey(tmdb, 'another-key')).not.toBe(key);
  });

  it('gives each TMDB host its own bucket: a fake on another port is another budget', () => {
    expect(tmdbBucketKey('http://127.0.0.1:8787/3', 'k')).not.toBe(
      tmdbBucketKey('http://127.0.0.1:8788/3', 'k'),
    );
  });
});
