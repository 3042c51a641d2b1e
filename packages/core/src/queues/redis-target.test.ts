import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig } from '../config/config.js';
import { redisClientOptions } from './redis-client.js';
import { redisKeys, tmdbBucketKey } from './redis-keys.js';
import { describeRedisTarget, redisTarget } from './redis-target.js';

const target = (env: Record<string, string>) => redisTarget(loadConfig(env));
const here = new URL(import.meta.url).pathname;

describe('redisTarget', () => {
  it('is REDIS_HOST/REDIS_PORT when nothing else is set', () => {
    expect(target({ REDIS_HOST: 'redis.internal', REDIS_PORT: '6380', REDIS_PASSWORD: 'pw' })).toEqual({
      mode: 'standalone',
      host: 'redis.internal',
      port: 6380,
      db: 0,
      username: undefined,
      password: 'pw',
      tls: false,
      caFile: undefined,
    });
  });

  it('reads user, password, database and TLS from a rediss:// REDIS_URL, decoding them', () => {
    expect(target({ REDIS_URL: 'rediss://app:p%40ss@cache.example.com:6390/2' })).toMatchObject({
      mode: 'standalone',
      host: 'cache.example.com',
      port: 6390,
      db: 2,
      username: 'app',
      password: 'p@ss',
      tls: true,
    });
    expect(target({ REDIS_URL: 'redis://cache', REDIS_PASSWORD: 'fallback' })).toMatchObject({
      port: 6379,
      password: 'fallback',
      tls: false,
    });
  });

  it('builds Sentinel mode from REDIS_SENTINELS and REDIS_SENTINEL_NAME, with both passwords', () => {
    const sentinel = target({
      REDIS_SENTINELS: 's1:26379, s2:26380',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'spw',
      REDIS_PASSWORD: 'pw',
    });
    expect(sentinel).toMatchObject({
      mode: 'sentinel',
      name: 'mymaster',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26380 },
      ],
      sentinelPassword: 'spw',
      password: 'pw',
    });
    expect(describeRedisTarget(sentinel)).toBe('sentinel master "mymaster" via s1:26379,s2:26380');
  });

  it('builds Cluster mode from REDIS_CLUSTER_NODES, TLS from REDIS_CA_FILE', () => {
    const cluster = target({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001', REDIS_CA_FILE: here });
    expect(cluster).toMatchObject({
      mode: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
    });
    expect(cluster.tls).toBe(true);
    expect(describeRedisTarget(cluster)).toBe('cluster n1:7000,n2:7001');
  });
});

describe('loadConfig, Redis modes', () => {
  it.each([
    ['REDIS_URL', 'http://cache:6379', /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ['REDIS_SENTINELS', 's1', /^REDIS_SENTINELS must be a comma-separated list of host:port, got "s1"$/],
    [
      'REDIS_CLUSTER_NODES',
      'n1:7000,n2:99999',
      /^REDIS_CLUSTER_NODES must be a comma-separated list of host:port/,
    ],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('hides a REDIS_URL it rejects, which may carry a password', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://u:secret@cache' })).toThrow(/got \(hidden\)$/);
  });

  it('asks for REDIS_SENTINEL_NAME beside REDIS_SENTINELS', () => {
    expect(() => loadConfig({ REDIS_SENTINELS: 's1:26379' })).toThrow(
      /^REDIS_SENTINEL_NAME must name the sentinels' master/,
    );
  });

  it('refuses two modes at once, naming the variable to unset', () => {
    const both = () =>
      loadConfig({ REDIS_SENTINELS: 's:1', REDIS_SENTINEL_NAME: 'm', REDIS_CLUSTER_NODES: 'n:2' });
    expect(both).toThrow(ConfigError);
    expect(both).toThrow(/^REDIS_CLUSTER_NODES must be unset when REDIS_SENTINELS is set/);
    expect(() => loadConfig({ REDIS_URL: 'redis://a', REDIS_CLUSTER_NODES: 'n:2' })).toThrow(
      /^REDIS_URL must be unset in Sentinel or Cluster mode/,
    );
  });
});

describe('redisClientOptions', () => {
  it('never lets a worker command give up, and bounds a CLI command', () => {
    const standalone = target({});
    const worker = redisClientOptions(standalone, 'worker');
    const command = redisClientOptions(standalone, 'command');
    expect(worker.mode === 'redis' && worker.options.maxRetriesPerRequest).toBeNull();
    expect(command.mode === 'redis' && command.options.maxRetriesPerRequest).toBe(2);
  });

  it('gives Sentinel and Cluster retry strategies that always return a delay, the terminal state never', () => {
    const sentinel = redisClientOptions(
      target({
        REDIS_SENTINELS: 's:26379',
        REDIS_SENTINEL_NAME: 'm',
        REDIS_TLS: 'true',
        REDIS_PASSWORD: 'pw',
      }),
      'worker',
    );
    if (sentinel.mode !== 'redis') throw new Error('sentinel mode builds a Redis');
    const { retryStrategy, sentinelRetryStrategy } = sentinel.options;
    for (const attempt of [1, 10, 1_000, 1e9]) {
      expect(retryStrategy?.(attempt)).toBeGreaterThan(0);
      expect(sentinelRetryStrategy?.(attempt)).toBeLessThanOrEqual(2_000);
    }
    expect(sentinel.options).toMatchObject({
      password: 'pw',
      enableTLSForSentinelMode: true,
      failoverDetector: true,
    });

    const cluster = redisClientOptions(
      target({ REDIS_CLUSTER_NODES: 'n:7000', REDIS_PASSWORD: 'pw' }),
      'worker',
    );
    if (cluster.mode !== 'cluster') throw new Error('cluster mode builds a Cluster');
    expect(cluster.options.clusterRetryStrategy?.(1e9)).toBe(2_000);
    // a ready check during CLUSTERDOWN leaves the connect() BullMQ awaits unsettled (redis-cluster.test.ts)
    expect(cluster.options.enableReadyCheck).toBe(false);
    // BullMQ checks this option on the cluster's node options
    expect(cluster.options.redisOptions).toMatchObject({ password: 'pw', maxRetriesPerRequest: null });
  });
});

describe('redisKeys', () => {
  it('keeps the layout of a single Redis outside cluster mode', () => {
    const keys = redisKeys('bull');
    expect(keys.queuePrefix('CLASSIFY')).toBe('bull');
    expect(keys.tmdbLookupLockPrefix).toBe('bull:minato:tmdb-lookup-lock:');
    expect(keys.reconcilerMarker).toBe('bull:minato:reconciler-marker');
  });

  it('gives each queue its own hash tag in cluster mode and Minato’s own keys one more', () => {
    const keys = redisKeys('bull', 'hash-tagged');
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    expect(new Set(['TORRENT_INGEST', 'CLASSIFY', 'ES_SYNC'].map((q) => tag(keys.queuePrefix(q)))).size).toBe(
      3,
    );
    const own = [keys.tmdbLookupLockPrefix + 'x', keys.reconcilerMarker];
    expect(new Set(own.map(tag))).toEqual(new Set(['bull:minato']));
    // the bucket keeps its own tag, whatever the layout: its scripts touch it and its ledger together
    const bucket = tmdbBucketKey('https://api.themoviedb.org/3', 'key');
    expect(tag(`${bucket}:ledger`)).toBe(tag(bucket));
  });
});
