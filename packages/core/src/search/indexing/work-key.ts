import { titleKey } from '../../releases/normalize.js';

/** What a work key is made of: the TMDB match when there is one, else the parsed release. */
export interface WorkKeyFields {
  type: string;
  tmdbId: number | null;
  mediaType: string | null;
  title: string | null;
  year: number | null;
  seasons: readonly number[];
  episodes: readonly number[];
  complete: boolean;
}

/**
 * The key that groups the releases of one work: one film, one episode (or run of episodes), one season
 * pack. Search collapses on it, so the first screen shows distinct works rather than ten encodes of one.
 * An enriched release is keyed by its TMDB id, so differently named releases of a film still group;
 * otherwise by its folded title (and year, for a film) so that `Ocean's` and `Oceans` agree.
 */
export function workKey(fields: WorkKeyFields): string {
  const base =
    fields.tmdbId !== null
      ? `tmdb:${fields.mediaType ?? fields.type}:${fields.tmdbId}`
      : `${fields.type}:${titleKey(fields.title ?? '')}${fields.type === 'movie' && fields.year !== null ? `:${fields.year}` : ''}`;
  return `${base}${numbering(fields)}`;
}

function numbering({ seasons, episodes, complete }: WorkKeyFields): string {
  const s = seasons.length > 0 ? `:s${span(seasons)}` : '';
  if (episodes.length > 0) return `${s}:e${span(episodes)}`;
  if (s !== '') return s;
  return complete ? ':complete' : '';
}

/** `4`, or `1-9` for a run: a pack of seasons 1 to 9 is one item, whatever order the name lists them in. */
function span(numbers: readonly number[]): string {
  const low = Math.min(...numbers);
  const high = Math.max(...numbers);
  return low === high ? String(low) : `${low}-${high}`;
}
