import type { ParsedResult } from '@viren070/parse-torrent-title';
import { parseBase } from './base-parser.js';
import { normalizeTitle } from './normalize.js';
import { loneNumber, trailingNumbering, type Numbering } from './episode-numbering.js';
import { rewriteForParsing } from './name-rewrites.js';
import { classifyNonVideo, videoEvidence, type NonVideoCategory } from './non-video-classifier.js';
import { sanitizeReleaseName } from './sanitize.js';

/** What a release holds: video (a film or episodes), a known kind of non-video, or nothing recognisable. */
export type ReleaseCategory = 'video' | NonVideoCategory | 'unknown';

/** A parsed release name. `season`/`episode` are the first of `seasons`/`episodes` (packs list them all). */
export interface ParsedRelease {
  type: 'movie' | 'tv' | 'other';
  title: string | null;
  year: number | null;
  season: number | null;
  episode: number | null;
  /** Worth a TMDB lookup: a film or a show with a usable title. */
  enrichable: boolean;
  category: ReleaseCategory;
  seasons: number[];
  episodes: number[];
  /** Air date of a daily show, `YYYY-MM-DD`. */
  date: string | null;
  complete: boolean;
  resolution: string | null;
  source: string | null;
  codec: string | null;
  group: string | null;
  languages: string[];
  imdbId: string | null;
}

const IMDB_ID = /(?:\bimdb[-_:= ]?)?\b(tt\d{7,9})\b/i;
const EMPTY_BRACKETS = /[[({]\s*[\])}]/g;
const HAS_ALPHANUMERIC = /[\p{L}\p{N}]/u;
const COMPLETE_SERIES = /\bcomplete[ ._-]series\b/i;
const EDGE_PUNCTUATION = /^[\s\-–—:;,|~/]+|[\s\-–—:;,|~/([{]+$/g;
// A trailing `(Your Name)` after a title is an alternative title, not part of the one TMDB knows.
const TRAILING_ALTERNATIVE = /^(.*?[\p{L}\p{N}].*?)\s*\([^()]*\)$/u;
const BRACKETED = /[[({][^\])}]*[\])}]/g;
const FILE_EXTENSION = /\.[a-z0-9]{2,4}$/i;
const PARENTHESISED_YEAR = /[([]((?:19|20)\d\d)[\])]/;
// Words a title picks up from the tags around it: editions and languages belong to the release, not to the
// title TMDB knows. `Part III` is not among them: TMDB's titles keep it.
const TRAILING_JUNK =
  /[ ._-]+(?:criterion(?: collection| edition)?|(?:the )?final cut|(?:special|collector'?s|anniversary|limited|extended|ultimate|director'?s|theatrical|unrated|uncut|remastered|restored)(?: (?:edition|cut|version))?|german|french|truefrench|vostfr|vff|multi|ita|spanish|castellano|latino|dutch|swedish|hindi|dubbed|dual audio)$/i;
// A special of a show (`Show.Christmas.Special.2011`): an episode without a number.
const SPECIAL =
  /[ ._-]+(?:(?:christmas|xmas|holiday|halloween|easter|thanksgiving|new years?|reunion) )?special$/i;
const EPISODE_NAME = / - .*$/;
// Release names do not carry years far ahead; read once, so a long-running worker moves on at its next start.
const LATEST_YEAR = new Date().getFullYear() + 1;

/**
 * Parses a torrent release name: its type, title, year, season and episode, the tags beside them, and
 * whether it is worth a TMDB lookup. Never throws: garbage gives `type: 'other'`, `enrichable: false`.
 */
export function parseRelease(name: string): ParsedRelease {
  const clean = sanitizeReleaseName(name);
  const imdbId = IMDB_ID.exec(clean)?.[1]?.toLowerCase() ?? null;
  const videoKinds = videoEvidence(clean);
  const nonVideo = classifyNonVideo(clean, videoKinds);
  if (nonVideo !== null) return otherRelease(clean, nonVideo, imdbId);

  const stripped = imdbId === null ? clean : clean.replace(IMDB_ID, ' ').replace(EMPTY_BRACKETS, ' ');
  const rewritten = rewriteForParsing(stripped);
  let parsed: ParsedResult;
  try {
    parsed = parseBase(rewritten.name);
  } catch {
    // The underlying parser has never been seen to throw; if it ever does, the name is not worth a lookup.
    return otherRelease(clean, 'unknown', imdbId);
  }
  let title = cleanTitle(parsed.title);
  let seasons = parsed.seasons ?? [];
  const date = parsed.date ?? rewritten.leadingDate;
  // A lone number read as an absolute episode (`1917`) is the title itself, not an episode of it.
  let episodes =
    parsed.episodes && !(seasons.length === 0 && title === String(parsed.episodes[0])) ? parsed.episodes : [];
  // A year range (`1989-1998`) counts from its first year; a daily show's date is not the show's year.
  let year = parsed.year ? Number.parseInt(parsed.year, 10) : null;
  if (year !== null && (Number.isNaN(year) || (date !== null && date.startsWith(String(year))))) year = null;

  // A year still to come is a number of the title (`Blade.Runner.2049.1080p`).
  if (title !== null && year !== null && year > LATEST_YEAR) {
    title = `${title} ${year}`;
    year = null;
  }

  let special = false;
  let numbering: Numbering | null = null;
  if (title !== null && seasons.length === 0 && date === null) {
    if (episodes.length === 0) numbering = unnumbered(rewritten, clean, title, year);
    else if (episodes.length === 1 && year === null)
      numbering = loneNumber(clean, rewritten.name, title, episodes[0] ?? 0);
    if (numbering) {
      title = numbering.title;
      seasons = numbering.season === null ? [] : [numbering.season];
      episodes = numbering.episode === null ? [] : [numbering.episode];
    } else if (episodes.length === 0 && SPECIAL.test(title)) {
      title = title.replace(SPECIAL, '');
      special = true;
    }
  }
  if (title !== null) title = withoutTrailingJunk(title);

  // Without a title there is nothing to look up, whatever the tags say.
  const isTv =
    title !== null &&
    (special || seasons.length > 0 || episodes.length > 0 || date !== null || COMPLETE_SERIES.test(clean));
  const isMovie = title !== null && !isTv && (year !== null || videoKinds > 0 || imdbId !== null);
  const type = isTv ? 'tv' : isMovie ? 'movie' : 'other';
  return {
    type,
    title,
    year,
    season: seasons[0] ?? null,
    episode: episodes[0] ?? null,
    enrichable: type !== 'other',
    category: type === 'other' ? 'unknown' : 'video',
    seasons,
    episodes,
    date,
    complete: parsed.complete ?? false,
    resolution: parsed.resolution ?? null,
    source: parsed.quality ?? null,
    codec: parsed.codec ?? null,
    group: parsed.group ?? null,
    languages: parsed.languages ?? [],
    imdbId,
  };
}

/** Numbers the parser underneath did not read as such: a leading `003.`, an anime `_679_`, a compact `117`. */
function unnumbered(
  rewritten: ReturnType<typeof rewriteForParsing>,
  clean: string,
  title: string,
  year: number | null,
): Numbering | null {
  if (rewritten.leadingEpisode !== null) {
    return { title: title.replace(EPISODE_NAME, ''), season: null, episode: rewritten.leadingEpisode };
  }
  return year === null ? trailingNumbering(clean, title) : null;
}

function withoutTrailingJunk(title: string): string {
  let kept = title;
  for (
    let next = kept.replace(TRAILING_JUNK, '');
    next !== kept && next !== '';
    next = kept.replace(TRAILING_JUNK, '')
  )
    kept = next;
  return kept;
}

function cleanTitle(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let title = raw.replace(/\s+/g, ' ').replace(EDGE_PUNCTUATION, '');
  title = TRAILING_ALTERNATIVE.exec(title)?.[1] ?? title;
  return HAS_ALPHANUMERIC.test(title) ? title : null;
}

/** An `other` release: a readable title for search and a `(year)` if the name gives one, nothing to look up. */
function otherRelease(clean: string, category: ReleaseCategory, imdbId: string | null): ParsedRelease {
  const year = PARENTHESISED_YEAR.exec(clean)?.[1];
  const title = normalizeTitle(clean.replace(FILE_EXTENSION, '').replace(BRACKETED, ' '));
  return {
    type: 'other',
    title: HAS_ALPHANUMERIC.test(title) ? title : null,
    year: year === undefined ? null : Number(year),
    season: null,
    episode: null,
    enrichable: false,
    category,
    seasons: [],
    episodes: [],
    date: null,
    complete: false,
    resolution: null,
    source: null,
    codec: null,
    group: null,
    languages: [],
    imdbId,
  };
}
