import { titleKey } from './normalize.js';
import type { ParsedRelease } from './release-parser.js';

/**
 * Whether two release names name the same work, as far as a TMDB match depends on it: type, title key, year,
 * season (and an IMDb id the name carries). A renamed torrent whose work is the same keeps its match without a
 * TMDB call (`Dune.2021.1080p` → `Dune.2021.2160p`); any other rename is matched again.
 */
export function sameWork(a: ParsedRelease, b: ParsedRelease): boolean {
  return (
    a.type === b.type &&
    titleKey(a.title ?? '') === titleKey(b.title ?? '') &&
    a.year === b.year &&
    a.season === b.season &&
    a.imdbId === b.imdbId
  );
}
