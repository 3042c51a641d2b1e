import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../queues/redis-client.js';
import { Counter, type Registry } from 'prom-client';
import type { CachedLookup, MediaInput, MediaRepository } from '../../db/media-repository.js';

/** What one TMDB lookup decided: a media record with its confidence, or a miss. */
export type LookupAnswer =
  { media: MediaInput; confidence: number } | { media: null; confidence: number | null };

export interface LookupCacheOptions {
  media: MediaRepository;
  redis: RedisClient;
  registry: Registry;
  /** seconds a match stays cached */
  hitTtlSeconds?: number;
  /** seconds a miss stays cached: shorter, TMDB may add the title later */
  missTtlSeconds?: number;
  /** how long one replica may hold a key's lock while it asks TMDB */
  lockMs?: number;
  /** how often a replica waiting on another's lookup re-reads the cache */
  waitPollMs?: number;
  keyPrefix?: string;
}

const RELEASE_IF_OWNER = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The lookup cache shared by every replica (docs/guarantees.md, "Each TMDB lookup is done once"). Answers live in PostgreSQL; concurrent
 * lookups of one key coalesce: in one process through a shared promise, across replicas through a Redis
 * lock whose holder asks TMDB while the others wait for its answer to appear.
 */
export class LookupCache {
  private readonly inFlight = new Map<string, Promise<CachedLookup>>();
  private readonly lookups: Counter<'result'>;
  private readonly hitTtl: number;
  private readonly missTtl: number;
  private readonly lockMs: number;
  private readonly waitPollMs: number;
  private readonly keyPrefix: string;

  constructor(private readonly options: LookupCacheOptions) {
    this.hitTtl = options.hitTtlSeconds ?? 30 * 24 * 3_600;
    this.missTtl = options.missTtlSeconds ?? 24 * 3_600;
    this.lockMs = options.lockMs ?? 60_000;
    this.waitPollMs = options.waitPollMs ?? 200;
    this.keyPrefix = options.keyPrefix ?? 'minato:tmdb:lookup-lock:';
    this.lookups = new Counter({
      name: 'minato_tmdb_cache_lookups_total',
      help: 'TMDB lookups by cache result: hit, miss (asked TMDB) or coalesced (waited for another lookup)',
      labelNames: ['result'],
      registers: [options.registry],
    });
  }

  /** The cached answer for `key`, or the one `fetch` gets, stored for every replica. */
  lookup(key: string, fetch: () => Promise<LookupAnswer>): Promise<CachedLookup> {
    const pending = this.inFlight.get(key);
    if (pending) {
      this.lookups.inc({ result: 'coalesced' });
      return pending;
    }
    const promise = this.resolve(key, fetch).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async resolve(key: string, fetch: () => Promise<LookupAnswer>): Promise<CachedLookup> {
    const { media, redis } = this.options;
    for (;;) {
      const cached = await media.findLookup(key);
      if (cached) {
        this.lookups.inc({ result: 'hit' });
        return cached;
      }
      const token = randomUUID();
      const lockKey = this.keyPrefix + key;
      if ((await redis.set(lockKey, token, 'PX', this.lockMs, 'NX')) === 'OK') {
        try {
          // Another replica may have finished between our read and our lock.
          const late = await media.findLookup(key);
          if (late) {
            this.lookups.inc({ result: 'hit' });
            return late;
          }
          this.lookups.inc({ result: 'miss' });
          const answer = await fetch();
          return await media.saveLookup(
            key,
            answer.media,
            answer.confidence,
            answer.media ? this.hitTtl : this.missTtl,
          );
        } finally {
          await redis.eval(RELEASE_IF_OWNER, 1, lockKey, token);
        }
      }
      this.lookups.inc({ result: 'coalesced' });
      await this.waitForRelease(lockKey);
    }
  }

  /** Waits while another replica holds the key's lock; its answer is then in the cache (or it failed). */
  private async waitForRelease(lockKey: string): Promise<void> {
    while ((await this.options.redis.exists(lockKey)) === 1) {
      await new Promise((resolve) => setTimeout(resolve, this.waitPollMs));
    }
  }
}
