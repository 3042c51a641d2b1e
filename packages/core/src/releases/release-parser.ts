import type { ParsedResult } from '@viren070/parse-torrent-title';
import { parseBase } from './base-parser.js';
import { normalizeTitle } from './normalize.js';
import { loneNumber, trailingNumbering, type Numbering } from './episode-numbering.js';
import { rewriteForParsing } from './name-rewrites.js';
import { withoutLeadingTags } from './leading-tags.js';
import { isFilmExtra, withoutSamplePrefix } from './film-extras.js';
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
  /** a film's extra (featurette, sample, deleted scenes): matched to the film, flagged as not the film itself */
  extra: boolean;
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
// A whole series, a miniseries among them (`Title.2019.Complete.Mini.Series`): a show, its year the first-air year.
const COMPLETE_SERIES = /\bcomplete[ ._-](?:mini[ ._-]?)?series\b|\bmini[ ._-]?series\b/i;
const EDGE_PUNCTUATION = /^[\s\-–—:;,|~/]+|[\s\-–—:;,|~/([{]+$/g;
// A trailing `(Your Name)` after a title is an alternative title, not part of the one TMDB knows.
const TRAILING_ALTERNATIVE = /^(.*?[\p{L}\p{N}].*?)\s*\([^()]*\)$/u;
const BRACKETED = /[[({][^\])}]*[\])}]/g;
const FILE_EXTENSION = /\.[a-z0-9]{2,4}$/i;
const PARENTHESISED_YEAR = /[([]((?:19|20)\d\d)[\])]/;
// Words a title picks up from the tags around it: editions and languages belong to the release, not to the
// title TMDB knows. `Part III` is not among them: TMDB's titles keep it.
// Sources and 3D formats before the year stay in the title too (`Title.CAMRip.2024`, `Title.3D.2012`).
const TRAILING_JUNK =
  /[ ._-]+(?:criterion(?: collection| edition)?|(?:the )?final cut|(?:special|collector'?s|anniversary|limited|extended|ultimate|director'?s|directors|theatrical|unrated|uncut|uncensored|remaster(?:ed)?|restored|alternate|alternative)(?: (?:edition|cut|version))?|imax|open matte|(?:4k )?remaster(?:ed)?|4k|3d|h?sbs|half sbs|dc|cam|hdcam|cam-?rip|hd-?ts|telesync|telecine|hdtc|german|french|truefrench|vostfr|vff|multi|ita|spanish|castellano|latino|dutch|swedish|hindi|dubbed|dual audio)$/i;
// A special of a show (`Show.Christmas.Special.2011`): an episode without a number.
const SPECIAL =
  /[ ._-]+(?:(?:christmas|xmas|holiday|halloween|easter|thanksgiving|new years?|reunion) )?special$/i;
const EPISODE_NAME = / - .*$/;
// ...or named by its episode title after the show's (`Show.2005.Special.The.Day.Name`, `Show - Name (Special)`);
// a special edition or special features belong to a film.
const SPECIAL_AFTER_TITLE =
  /(?:^|[ ._(-])(?:(?:christmas|xmas|holiday|halloween|easter|new years?|reunion|anniversary)[ ._-])?special(?![ ._-]*(?:edition|features?|cut|version))(?=$|[ ._)\]-])/i;
// `Show 05 Episode Name`: a bare two-digit number between words, in a name with no year.
const BARE_EPISODE = /^(\p{L}[^\d]*?\p{L}) (0[1-9]|[1-9]\d) (?=\p{Lu})/u;
// `Show 2021 S04` (spaced): a year-like number right before the season marker is part of the show's name.
const NUMBER_BEFORE_SEASON = /^[^.]* ((?:19|20)\d\d) S\d{1,2}(?:E\d{1,3})?\b/;
// A season numbered by its year as `S2014E18` or `S2014` dates the show too (`2016x03` is left as it was).
const FIRST_YEAR_SEASON = 1900;
const SEASON_OF_YEAR = /\bS(?:19|20)\d\d(?:E\d|\b)/i;
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
  // From here on the name is read without what was put in front of it: a site, tag brackets, `sample-`.
  const untagged = withoutLeadingTags(stripped);
  const named = withoutSamplePrefix(untagged);
  const rewritten = rewriteForParsing(named);
  let parsed: ParsedResult;
  try {
    parsed = parseBase(rewritten.name);
  } catch {
    // The underlying parser has never been seen to throw; if it ever does, the name is not worth a lookup.
    return otherRelease(clean, 'unknown', imdbId);
  }
  let title = withInitial(named, cleanTitle(parsed.title));
  let seasons = parsed.seasons ?? [];
  const date = parsed.date ?? rewritten.leadingDate;
  // A lone number read as an absolute episode (`1917`) is the title itself, not an episode of it.
  let episodes =
    parsed.episodes && !(seasons.length === 0 && title === String(parsed.episodes[0])) ? parsed.episodes : [];
  // A year range (`1989-1998`) counts from its first year; a daily show's date is not the show's year.
  let year = parsed.year ? Number.parseInt(parsed.year, 10) : (rewritten.earlyYear ?? null);
  if (year !== null && (Number.isNaN(year) || (date !== null && date.startsWith(String(year))))) year = null;
  if (rewritten.yearSeason !== null && seasons.length === 0) seasons = [rewritten.yearSeason];
  const firstSeason = seasons[0] ?? 0;
  if (year === null && firstSeason >= FIRST_YEAR_SEASON && SEASON_OF_YEAR.test(named)) year = firstSeason;
  if (
    title !== null &&
    year !== null &&
    seasons.length > 0 &&
    NUMBER_BEFORE_SEASON.exec(named)?.[1] === String(year)
  ) {
    title = `${title} ${year}`;
    year = null;
  }

  // A year still to come is a number of the title (`Blade.Runner.2049.1080p`).
  if (title !== null && year !== null && year > LATEST_YEAR) {
    title = `${title} ${year}`;
    year = null;
  }

  let special = false;
  let numbering: Numbering | null = null;
  if (title !== null && seasons.length === 0 && date === null) {
    if (rewritten.absoluteEpisode !== null) numbering = absolute(title, rewritten.absoluteEpisode);
    else if (episodes.length === 0) numbering = unnumbered(named, title, year);
    else if (episodes.length === 1 && year === null)
      numbering = loneNumber(named, rewritten.name, title, episodes[0] ?? 0);
    if (numbering) {
      title = numbering.title;
      seasons = numbering.season === null ? [] : [numbering.season];
      episodes = numbering.episode === null ? [] : [numbering.episode];
    } else if (episodes.length === 0 && SPECIAL.test(title)) {
      title = title.replace(SPECIAL, '');
      special = true;
    } else if (episodes.length === 0 && SPECIAL_AFTER_TITLE.test(named.slice(title.length))) {
      title = title.replace(EPISODE_NAME, '');
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
  const extra = type === 'movie' && isFilmExtra(untagged, year);
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
    extra,
    resolution: parsed.resolution ?? null,
    source: parsed.quality ?? null,
    codec: parsed.codec ?? null,
    group: parsed.group ?? null,
    languages: parsed.languages ?? [],
    imdbId,
  };
}

/** An absolute episode the name led with (`003. Show - Name`). */
function absolute(title: string, episode: number): Numbering {
  return { title: title.replace(EPISODE_NAME, ''), season: null, episode };
}

/** Numbers the parser underneath did not read as such: an anime `_679_`, a compact `117`, a bare `05 Name`. */
function unnumbered(name: string, title: string, year: number | null): Numbering | null {
  if (year !== null) return null;
  const bare = BARE_EPISODE.exec(title);
  if (bare) return { title: bare[1] ?? title, season: null, episode: Number(bare[2]) };
  return trailingNumbering(name, title);
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

// The parser underneath drops a title's first letter when it is not ASCII (`Élite` comes out as `lite`).
const NON_ASCII_INITIAL = /^[^\p{ASCII}]/u;

/** The title with the initial letter the parser underneath dropped put back. */
function withInitial(name: string, title: string | null): string | null {
  const initial = NON_ASCII_INITIAL.exec(name)?.[0];
  if (title === null || initial === undefined || title.startsWith(initial)) return title;
  const rest = name.slice(initial.length);
  return rest.replace(/[._]/g, ' ').startsWith(title.slice(0, Math.min(title.length, 8)))
    ? initial + title
    : title;
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
    extra: false,
    resolution: null,
    source: null,
    codec: null,
    group: null,
    languages: [],
    imdbId,
  };
}
