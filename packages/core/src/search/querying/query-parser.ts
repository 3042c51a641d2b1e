import { normalizeTitle, titleKey } from '../../releases/normalize.js';
import { parseRelease } from '../../releases/release-parser.js';

/** What a user's search text asks for, read with the same parser as the release names it is matched on. */
export interface SearchQuery {
  /** the whole text, folded by `titleKey`: what plain full text falls back to */
  text: string;
  /** the title words, folded; null when the text names no title (`s01e01`, or nothing readable) */
  title: string | null;
  year: number | null;
  season: number | null;
  /** `s04e12e13` asks for either episode */
  episodes: number[];
  /** a whole season or series was asked for (`season 4`, `s04`, `complete`) */
  pack: boolean;
  /**
   * A bare number after the title (`one piece 1000`, `mob psycho 100`): an anime's absolute episode or the
   * end of the title; the search tries both readings.
   */
  trailingNumber: number | null;
}

// Query words only: release names are the release parser's business (it reads `S04`, `4x02`, `S04E12E13`).
/** `one` to `twenty`, as people write season numbers (`Season Five`). */
export const NUMBER_WORDS = [
  'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
]; // prettier-ignore
/** `first` to `tenth` (`The Complete Fourth Season`). */
export const ORDINAL_WORDS = [
  'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth',
]; // prettier-ignore
/** Words for "season" in the languages release names use (lowercase, as folded titles have them). */
export const SEASON_WORDS = [
  'season', 'saison', 'staffel', 'temporada', 'stagione', 'seizoen', 'sezon', 'sæson', 'säsong', 'series',
]; // prettier-ignore
const SEASON_WORD = `(?:seasons|${SEASON_WORDS.join('|')})`;
const EPISODE_WORD = '(?:episodes?|eps?|folge|episodio|[eé]pisode|cap[ií]tulo|cap|e)';
const NUMBER = `(\\d{1,4}|${NUMBER_WORDS.join('|')})`;
const SEASON_NUMBER = new RegExp(`\\b${SEASON_WORD} ${NUMBER}\\b`, 'giu');
const ORDINAL_SEASON = new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th) ${SEASON_WORD}\\b`, 'giu');
const WORD_ORDINAL_SEASON = new RegExp(`\\b(${ORDINAL_WORDS.join('|')}) ${SEASON_WORD}\\b`, 'giu');
const EPISODE_NUMBER = new RegExp(`\\b${EPISODE_WORD} ${NUMBER}\\b`, 'giu');
// `s04 e08` and `s04 e08 e09` (from `S04 E08-E09`) are one `s04e08e09` for the release parser.
const SPLIT_EPISODE = /\b(s\d{1,2}) ((?:e\d{1,4} ?)+)/giu;
const COMPLETE = /\b(?:the )?(?:complete|completa|komplett|int[eé]grale)(?: series| serie| collection)?\b/giu;
const TRAILING_NUMBER = /^(.*\S) (\d{1,4})$/u;

/**
 * Reads a search box: title words, year, season and episode in the forms people type (`s03e02`, `3x02`,
 * `season 4`, `Staffel 2`, `season five`, `4th season`, `episode 12`, `complete`), and a bare trailing
 * number. Never throws; text it cannot read leaves `title` as the whole folded text.
 */
export function parseSearchQuery(input: string): SearchQuery {
  const spaced = normalizeTitle(input).toLowerCase();
  const text = titleKey(spaced);
  const pack = new RegExp(COMPLETE.source, 'iu').test(spaced);
  const rewritten = spaced
    .replace(COMPLETE, ' ')
    .replace(SEASON_NUMBER, (_, n: string) => ` s${numberValue(n)} `)
    .replace(ORDINAL_SEASON, (_, n: string) => ` s${n} `)
    .replace(WORD_ORDINAL_SEASON, (_, w: string) => ` s${ORDINAL_WORDS.indexOf(w) + 1} `)
    .replace(EPISODE_NUMBER, (_, n: string) => ` e${numberValue(n)} `)
    .replace(/\s+/g, ' ')
    .replace(SPLIT_EPISODE, (_, s: string, e: string) => `${s}${e.replace(/ /g, '')} `)
    .trim();
  const release = parseRelease(rewritten);
  const season = release.seasons[0] ?? null;
  const episodes = release.episodes;
  let title = release.title === null ? '' : titleKey(release.title);
  let trailingNumber: number | null = null;
  const trailing = TRAILING_NUMBER.exec(title);
  // After a year, a number is the title's own (`blade runner 2049 2017`, `jaws 2 1978`).
  if (trailing && season === null && episodes.length === 0 && release.year === null) {
    title = trailing[1] ?? title;
    trailingNumber = Number(trailing[2]);
  }
  // `2012` alone: the parser reads a year and no title, but a film of that name is what is meant.
  if (title === '' && release.year !== null && season === null && episodes.length === 0) {
    title = String(release.year);
  }
  const numbered = season !== null || episodes.length > 0;
  return {
    text,
    title: title !== '' ? title : numbered ? null : text || null,
    year: release.year,
    season,
    episodes,
    pack: pack || (season !== null && episodes.length === 0) || release.complete,
    trailingNumber,
  };
}

function numberValue(token: string): number {
  const word = NUMBER_WORDS.indexOf(token);
  return word >= 0 ? word + 1 : Number(token);
}
