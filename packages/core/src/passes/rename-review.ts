import type { TorrentRecord, TorrentRepository } from '../db/torrent-repository.js';
import { parseRelease, sameWork, type ParsedRelease } from '../releases/index.js';
import type { RowReview } from '../search/indexing/torrent-projector.js';

/**
 * Passes 1 and 3 review each row before writing it: a torrent renamed since pass 2 matched it (its title is not
 * the title matched from) is parsed again, and when the parsed work changed (`sameWork`) its match is cleared,
 * so that the document stops showing the old film and pass 2 matches the new name. A rename within the same
 * work (another resolution, source or group) keeps its match and costs no TMDB call.
 */
export function renameReview(repository: Pick<TorrentRepository, 'reopenEnrichment'>): RowReview {
  return async (torrent: TorrentRecord, release: ParsedRelease) => {
    const { enrichedAt, enrichedTitle, title } = torrent;
    if (enrichedAt === null || enrichedTitle === null || enrichedTitle === title) return torrent;
    if (sameWork(parseRelease(enrichedTitle), release)) return torrent;
    // Changed meanwhile (saved again, renamed again): write what was read; the change's own job reviews it.
    return (await repository.reopenEnrichment(torrent)) ?? torrent;
  };
}
