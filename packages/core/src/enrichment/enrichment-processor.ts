import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { MediaRepository } from '../db/media-repository.js';
import type { TorrentRepository } from '../db/torrent-repository.js';
import {
  TmdbAuthError,
  TmdbMalformedResponseError,
  TmdbRequestError,
  TorrentNotFoundError,
} from '../errors.js';
import { enqueueByInfoHash } from '../queues/producers.js';
import { parsePayload } from '../queues/parse-payload.js';
import { failFastOnPermanentErrors } from '../pipeline/unrecoverable.js';
import { parseRelease, titleKey, type ParsedRelease } from '../releases/index.js';
import type { TmdbMatcher, TmdbMatchQuery } from '../tmdb/matcher.js';
import type { LookupAnswer, LookupCache } from './lookup-cache.js';

export interface EnrichmentProcessorOptions {
  repository: TorrentRepository;
  media: MediaRepository;
  cache: LookupCache;
  /** asks TMDB (through the shared token bucket) for the best match of a release */
  matcher: Pick<TmdbMatcher, 'match'>;
  syncQueue: Queue;
  logger: Logger;
}

/** The cache key of a release: an IMDb id when the name carries one, else type + normalized title + year. */
export function lookupKey(query: TmdbMatchQuery): string {
  return query.imdbId ? `imdb:${query.imdbId}` : `${query.type}:${titleKey(query.title)}:${query.year ?? ''}`;
}

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
 * Pass 2 (CLASSIFY): parse the release name; non-video is marked skipped without a TMDB call; the rest is
 * matched through the shared cache (one TMDB lookup per title, for all replicas); the outcome, `enriched_at`
 * and a version bump are saved in one statement, then ES_SYNC carries it to Elasticsearch.
 */
export function createEnrichmentProcessor(options: EnrichmentProcessorOptions) {
  const { repository, media, cache, matcher, syncQueue, logger } = options;
  let authFailureLogged = false;

  return async (job: Job): Promise<{ status: string; tmdbId: number | null }> => {
    const { infoHash } = parsePayload('CLASSIFY', job);
    return failFastOnPermanentErrors(async () => {
      const [torrent] = await repository.findMany([infoHash]);
      if (!torrent) throw new TorrentNotFoundError(`torrent ${infoHash} is not in PostgreSQL`, { infoHash });
      const query = matchQuery(parseRelease(torrent.title));
      if (!query) {
        await media.saveEnrichment(infoHash, 'skipped', null);
        await enqueueByInfoHash(syncQueue, [infoHash]);
        return { status: 'skipped', tmdbId: null };
      }
      let found;
      try {
        found = await cache.lookup(lookupKey(query), () => askTmdb(matcher, query));
      } catch (error) {
        if (error instanceof TmdbAuthError) {
          if (!authFailureLogged)
            logger.fatal(
              'TMDB rejected the API key: check TMDB_API_KEY; CLASSIFY jobs fail until it is fixed',
            );
          authFailureLogged = true;
          throw new UnrecoverableError('TMDB rejected the API key');
        }
        if (error instanceof TmdbMalformedResponseError || error instanceof TmdbRequestError) {
          throw new UnrecoverableError(error.message);
        }
        throw error;
      }
      const status = found.media ? 'matched' : 'no_match';
      await media.saveEnrichment(infoHash, status, found.media?.id ?? null);
      await enqueueByInfoHash(syncQueue, [infoHash]);
      logger.info(
        { infoHash, title: query.title, year: query.year, status, tmdbId: found.media?.tmdbId ?? null },
        found.media
          ? `matched "${query.title}" → ${found.media.title} (${found.media.year ?? '?'})`
          : `no TMDB match for "${query.title}"`,
      );
      return { status, tmdbId: found.media?.tmdbId ?? null };
    });
  };
}
