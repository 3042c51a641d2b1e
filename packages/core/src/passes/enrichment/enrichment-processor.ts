import type { Logger } from 'pino';
import type { TorrentRepository } from '../../db/torrent-repository.js';
import { TorrentNotFoundError } from '../../errors.js';
import { typedProcessor } from '../../queues/typed-processor.js';
import { parseRelease, titleKey, type ParsedRelease } from '../../releases/index.js';
import type { TmdbMatcher, TmdbMatchQuery } from '../../tmdb/matcher.js';
import type { PipelineChain } from '../chain.js';
import type { LookupAnswer, LookupCache } from './lookup-cache.js';

export interface EnrichmentProcessorOptions {
  repository: TorrentRepository;
  cache: LookupCache;
  /** asks TMDB (through the shared token bucket) for the best match of a release */
  matcher: Pick<TmdbMatcher, 'match'>;
  chain: PipelineChain;
  logger: Logger;
}

/** The cache key of a release: an IMDb id when the name carries one, else type + normalized title + year. */
export function lookupKey(query: TmdbMatchQuery): string {
  return query.imdbId ? `imdb:${query.imdbId}` : `${query.type}:${titleKey(query.title)}:${query.year ?? ''}`;
}

/** What to ask TMDB for a release; null for a name that is not a film or an episode (never sent to TMDB). */
function matchQuery(release: ParsedRelease): TmdbMatchQuery | null {
  if (!release.enrichable || release.type === 'other' || !release.title) return null;
  return { type: release.type, title: release.title, year: release.year, imdbId: release.imdbId };
}

async function askTmdb(matcher: Pick<TmdbMatcher, 'match'>, query: TmdbMatchQuery): Promise<LookupAnswer> {
  const result = await matcher.match(query);
  return result.status === 'matched'
    ? { media: result.media, confidence: result.confidence }
    : { media: null, confidence: result.bestConfidence };
}

/**
 * Pass 2, enrichment (queue CLASSIFY): parse the release name; non-video is marked skipped without a TMDB
 * call; the rest is matched through the shared cache (one TMDB lookup per title, for all replicas); the
 * outcome, `enriched_at` and a version bump are saved in one statement, then the chain hands it to ES_SYNC.
 */
export function createEnrichmentProcessor(options: EnrichmentProcessorOptions) {
  const { repository, cache, matcher, chain, logger } = options;

  return typedProcessor('CLASSIFY', async ({ infoHash }) => {
    const [torrent] = await repository.findMany([infoHash]);
    if (!torrent) throw new TorrentNotFoundError(`torrent ${infoHash} is not in PostgreSQL`, { infoHash });
    const query = matchQuery(parseRelease(torrent.title));
    if (!query) {
      await repository.saveEnrichment(infoHash, 'skipped', null);
      await chain.enriched(infoHash);
      return { status: 'skipped', tmdbId: null };
    }
    // A rejected key or a TMDB outage parks the queue (lifecycle/worker-process.ts), with one log line.
    const found = await cache.lookup(lookupKey(query), () => askTmdb(matcher, query));
    const status = found.media ? 'matched' : 'no_match';
    await repository.saveEnrichment(infoHash, status, found.media?.id ?? null);
    await chain.enriched(infoHash);
    logger.info(
      { infoHash, title: query.title, year: query.year, status, tmdbId: found.media?.tmdbId ?? null },
      found.media
        ? `matched "${query.title}" → ${found.media.title} (${found.media.year ?? '?'})`
        : `no TMDB match for "${query.title}"`,
    );
    return { status, tmdbId: found.media?.tmdbId ?? null };
  });
}
