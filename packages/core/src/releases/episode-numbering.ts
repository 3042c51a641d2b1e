/** Season and episode numbers read from what the underlying parser left in the title. */
export interface Numbering {
  title: string;
  season: number | null;
  episode: number | null;
}

const TRAILING_NUMBER = /^(.*\p{L}.*?)[ ._-]+(\d{1,4})$/u;
const YEAR_LIKE = /^(?:19|20)\d\d$/;
// Where a film comes from; a name with one of these is not a show numbered `117`.
const FILM_SOURCE =
  /\b(?:blu-?ray|bd-?rip|br-?rip|bdremux|remux|dvd-?rip|dvd-?scr|hd-?cam|cam-?rip|telesync|hdts)\b/i;
const FANSUB_GROUP = /^\s*\[[^\]]+\]/;

/**
 * A number the underlying parser left at the end of a title, when nothing else numbers the release:
 * an anime absolute episode (`[Group]Show_679_`, `Show.02.FRENCH`) or a scene show's compact numbering
 * (`show.name.117` = S01E17, `show.name.2401` = S24E01). Null when the number more likely belongs to the
 * title (`Apollo 13`, `Blade Runner 2049`).
 */
export function trailingNumbering(name: string, title: string): Numbering | null {
  const match = TRAILING_NUMBER.exec(title);
  if (!match) return null;
  const head = match[1] ?? '';
  const digits = match[2] ?? '';
  if (YEAR_LIKE.test(digits)) return null;
  if (FANSUB_GROUP.test(name) || /^0\d/.test(digits)) {
    return { title: head, season: null, episode: Number(digits) };
  }
  return compactNumbering(name, head, Number(digits), digits.length);
}

/**
 * `117` as S01E17 and `2401` as S24E01, in a scene name of no film source; a last part above 40 is more
 * likely an absolute episode (`One.Piece.1071`), which stays one.
 */
export function compactNumbering(
  name: string,
  title: string,
  value: number,
  length: number,
): Numbering | null {
  if (length < 3 || FILM_SOURCE.test(name) || FANSUB_GROUP.test(name)) return null;
  const season = Math.floor(value / 100);
  const episode = value % 100;
  if (season < 1 || episode < 1 || episode > 40) return null;
  return { title, season, episode };
}

/**
 * A lone number the underlying parser read as an absolute episode, taken back: a scene show's compact
 * `117` (S01E17), or a film's title number (`Apollo.13.1080p.BluRay`, `Fahrenheit.451`) in a name of a film
 * source. `parsed` is the name the parser read; an episode with a leading zero (`Show.012.DVDRip`) stays one.
 */
export function loneNumber(name: string, parsed: string, title: string, value: number): Numbering | null {
  const digits = String(value);
  const bare = new RegExp(`(?:^|[ ._])${digits}(?:$|[ ._])`).test(parsed);
  if (!bare || FANSUB_GROUP.test(name)) return null;
  const compact = compactNumbering(name, title, value, digits.length);
  if (compact) return compact;
  return FILM_SOURCE.test(name) ? { title: `${title} ${digits}`, season: null, episode: null } : null;
}
