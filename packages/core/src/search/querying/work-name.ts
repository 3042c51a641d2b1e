import type { SearchHit } from './search-torrents.js';

/** A work's name as people read it: `Dune (2021)`, `Friends (1994) S03E02`, `Fargo (2014) S04 (pack)`. */
export function workName(hit: SearchHit): string {
  const name = hit.mediaTitle ? `${hit.mediaTitle} (${hit.year ?? '?'})` : hit.title;
  const season = hit.seasons.length > 0 ? `S${numbers(hit.seasons)}` : '';
  const episodes = hit.episodes.length === 0 ? '' : `${season === '' ? '#' : 'E'}${numbers(hit.episodes)}`;
  const pack = hit.pack ? ' (pack)' : '';
  return season + episodes === '' ? `${name}${pack}` : `${name} ${season}${episodes}${pack}`;
}

/** `04`, or `01-09` for a run. */
function numbers(values: number[]): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? pad(low) : `${pad(low)}-${pad(high)}`;
}
