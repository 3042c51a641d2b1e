import type { Logger } from 'pino';
import type { TorrentRepository } from '../../db/torrent-repository.js';
import { isPermanent, TorrentNotFoundError, TorrentRetitledError } from '../../errors.js';
import { settleWithLimit } from '../../util/map-limit.js';
import { OutcomeSaver } from './outcome-saver.js';
import { asError, type FailedTorrent } from '../../torrents/settle-torrents.js';
import { torrentProcessor, type FailureRecorder } from '../torrent-outcomes.js';
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

/** Rounds one job matches a torrent whose title keeps changing under it before the job is retried instead. */
const MATCH_ROUNDS = 3;

/** What one round of a job did: its torrents saved, and those whose title changed during the match. */
interface Round {
  enriched: number;
  matched: number;
  retitled: string[];
  failed: FailedTorrent[];
  retry: Error | null;
  titles: number;
}

/**
 * Pass 2, enrichment (queue CLASSIFY): parse the release names; non-video is marked skipped without a TMDB
 * call; the rest is matched through the shared cache, once per distinct title of the job (one TMDB lookup per
 * title, for all replicas). Each title's torrents are saved (outcome, `enriched_at`, version bump) as soon as
 * its lookup resolves, and the chain hands them to ES_SYNC (OutcomeSaver). An outcome is saved only while its
 * row still has the title it was matched from (docs/guarantees.md, "No stale overwrite"): a torrent renamed
 * during the match is read and matched again. A bulk job skips rows an earlier attempt already enriched, so its
 * retry after a transient failure (TMDB down) does only what is left.
 */
export function createEnrichmentProcessor(options: EnrichmentProcessorOptions) {
  const { repository, cache, matcher, chain, failures, logger } = options;
  // A rejected key or a TMDB outage parks the queue (lifecycle/worker-process.ts), with one log line.
  const lookup = (query: TmdbMatchQuery) => cache.lookup(lookupKey(query), () => askTmdb(matcher, query));

  const matchRound = async (infoHashes: readonly string[], live: boolean): Promise<Round> => {
    const rows = new Map((await repository.findMany(infoHashes)).map((r) => [r.infoHash, r]));
    const failed: FailedTorrent[] = [];
    const saver = new OutcomeSaver(repository, chain, live);
    const groups = new Map<
      string,
      { query: TmdbMatchQuery; torrents: { infoHash: string; title: string }[] }
    >();
    for (const infoHash of infoHashes) {
      const torrent = rows.get(infoHash);
      if (!torrent) {
        failed.push({
          infoHash,
          error: new TorrentNotFoundError(`torrent ${infoHash} is not in PostgreSQL`, { infoHash }),
        });
        continue;
      }
      if (!live && torrent.enrichedAt !== null) continue;
      const { title } = torrent;
      const query = matchQuery(parseRelease(title));
      if (!query) {
        saver.add([{ infoHash, title, status: 'skipped', mediaId: null }]);
        continue;
      }
      const key = lookupKey(query);
      const group = groups.get(key) ?? { query, torrents: [] };
      group.torrents.push({ infoHash, title });
      groups.set(key, group);
    }
    const transient: Error[] = [];
    await settleWithLimit([...groups.values()], LOOKUPS_IN_FLIGHT, async ({ query, torrents }) => {
      try {
        const { media } = await lookup(query);
        saver.add(
          torrents.map(({ infoHash, title }) => ({
            infoHash,
            title,
            status: media ? 'matched' : 'no_match',
            mediaId: media?.id ?? null,
          })),
        );
        if (live) for (const { infoHash } of torrents) logOutcome(logger, infoHash, query, media);
      } catch (error) {
        if (isPermanent(error)) failed.push(...torrents.map(({ infoHash }) => ({ infoHash, error })));
        else transient.push(asError(error));
      }
    });
    const { enriched, matched, retitled } = await saver.finish();
    return { enriched, matched, retitled, failed, retry: transient[0] ?? null, titles: groups.size };
  };

  return torrentProcessor('CLASSIFY', failures, async (infoHashes, live) => {
    const failed: FailedTorrent[] = [];
    let retry: Error | null = null;
    let enriched = 0;
    let matched = 0;
    let titles = 0;
    let pending: readonly string[] = infoHashes;
    for (let round = 1; pending.length > 0; round++) {
      if (round > MATCH_ROUNDS) {
        retry ??= new TorrentRetitledError(
          `${pending.length} torrent(s) changed title during each of ${MATCH_ROUNDS} matches (${pending[0]} first); the job is retried`,
          { infoHashes: pending.slice(0, 10) },
        );
        break;
      }
      const done = await matchRound(pending, live);
      enriched += done.enriched;
      matched += done.matched;
      titles += done.titles;
      failed.push(...done.failed);
      retry ??= done.retry;
      if (done.retitled.length > 0) {
        logger.info(
          { infoHashes: done.retitled.slice(0, 10), round },
          'title changed during the match: matching the new title',
        );
      }
      pending = done.retitled;
    }
    if (retry) throw retry;
    if (!live) logger.debug({ torrents: infoHashes.length, titles, matched }, 'bulk enriched');
    return { result: { enriched, matched, titles }, failed };
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
