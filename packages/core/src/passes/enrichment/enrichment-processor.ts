import type { Logger } from 'pino';
import type { EnrichmentOutcome, TorrentRepository } from '../../db/torrent-repository.js';
import { isPermanent, TorrentNotFoundError } from '../../errors.js';
import { settleWithLimit } from '../../util/map-limit.js';
import { OutcomeSaver } from './outcome-saver.js';
import { asError, torrentProcessor, type FailureRecorder, type FailedTorrent } from '../torrent-outcomes.js';
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
  failures: FailureRecorder;
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

/** Distinct titles of one job looked up at once: enough to overlap cache reads, few enough for the pool. */
const LOOKUPS_IN_FLIGHT = 16;

/**
 * Pass 2, enrichment (queue CLASSIFY): parse the release names; non-video is marked skipped without a TMDB
 * call; the rest is matched through the shared cache, once per distinct title of the job (one TMDB lookup per
 * title, for all replicas). Each title's torrents are saved (outcome, `enriched_at`, version bump) as soon as
 * its lookup resolves, and the chain hands them to ES_SYNC (OutcomeSaver). A bulk job skips rows an earlier
 * attempt already enriched, so its retry after a transient failure (TMDB down) does only what is left.
 */
export function createEnrichmentProcessor(options: EnrichmentProcessorOptions) {
  const { repository, cache, matcher, chain, failures, logger } = options;
  // A rejected key or a TMDB outage parks the queue (lifecycle/worker-process.ts), with one log line.
  const lookup = (query: TmdbMatchQuery) => cache.lookup(lookupKey(query), () => askTmdb(matcher, query));

  return torrentProcessor('CLASSIFY', failures, async (infoHashes, live) => {
    const rows = new Map((await repository.findMany(infoHashes)).map((r) => [r.infoHash, r]));
    const failed: FailedTorrent[] = [];
    const todo: { infoHash: string; query: TmdbMatchQuery | null }[] = [];
    for (const infoHash of infoHashes) {
      const torrent = rows.get(infoHash);
      if (!torrent) {
        failed.push({
          infoHash,
          error: new TorrentNotFoundError(`torrent ${infoHash} is not in PostgreSQL`, { infoHash }),
        });
      } else if (live || torrent.enrichedAt === null) {
        todo.push({ infoHash, query: matchQuery(parseRelease(torrent.title)) });
      }
    }
    const saver = new OutcomeSaver(repository, chain, live);
    const groups = new Map<string, { query: TmdbMatchQuery; infoHashes: string[] }>();
    const skipped: EnrichmentOutcome[] = [];
    for (const { infoHash, query } of todo) {
      if (!query) skipped.push({ infoHash, status: 'skipped', mediaId: null });
      else {
        const key = lookupKey(query);
        const group = groups.get(key) ?? { query, infoHashes: [] };
        group.infoHashes.push(infoHash);
        groups.set(key, group);
      }
    }
    saver.add(skipped);
    let enriched = skipped.length;
    let matched = 0;
    const transient: Error[] = [];
    await settleWithLimit([...groups.values()], LOOKUPS_IN_FLIGHT, async ({ query, infoHashes: hashes }) => {
      try {
        const { media } = await lookup(query);
        saver.add(
          hashes.map((infoHash) => ({
            infoHash,
            status: media ? 'matched' : 'no_match',
            mediaId: media?.id ?? null,
          })),
        );
        enriched += hashes.length;
        if (media) matched += hashes.length;
        if (live) for (const infoHash of hashes) logOutcome(logger, infoHash, query, media);
      } catch (error) {
        if (isPermanent(error)) failed.push(...hashes.map((infoHash) => ({ infoHash, error })));
        else transient.push(asError(error));
      }
    });
    await saver.finish();
    if (transient[0]) throw transient[0];
    if (!live) logger.debug({ torrents: infoHashes.length, titles: groups.size, matched }, 'bulk enriched');
    return { result: { enriched, matched, titles: groups.size }, failed };
  });
}

function logOutcome(
  logger: Logger,
  infoHash: string,
  query: TmdbMatchQuery,
  media: { id: number; tmdbId: number; title: string; year: number | null } | null,
): void {
  logger.info(
    {
      infoHash,
      title: query.title,
      year: query.year,
      status: media ? 'matched' : 'no_match',
      tmdbId: media?.tmdbId ?? null,
    },
    media
      ? `matched "${query.title}" → ${media.title} (${media.year ?? '?'})`
      : `no TMDB match for "${query.title}"`,
  );
}
