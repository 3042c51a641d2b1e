/**
 * A release name reworded into the forms the underlying parser reads, with what the rewording took out.
 * `name` is only ever parsed, never shown: classification and tags still read the name as it came.
 */
export interface RewrittenName {
  name: string;
  /** an absolute episode number the name led with (`003. Show - Title`) */
  absoluteEpisode: number | null;
  /** an air date the name led with (`09.03.08 Show`), `YYYY-MM-DD` */
  leadingDate: string | null;
  /** a year numbering a season on its own (`Show.S2014`), taken out: the parser underneath reads it as S20E14 */
  yearSeason: number | null;
  /** a year before 1900 (`(1897)`), taken out: the parser underneath knows no year before 1900 */
  earlyYear: number | null;
}

// A rewrite, and optionally a lowercase text the name must hold for it to apply: most names hold none of the
// rarer shapes, and a substring test costs far less than a regular expression's scan.
type Rewrite = readonly [RegExp, string | ((...groups: string[]) => string), string?];

const pad = (n: number) => String(n).padStart(2, '0');

const WORD_NUMBERS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
};
const ROMAN: Readonly<Record<string, number>> = { i: 1, v: 5, x: 10 };

function romanValue(text: string): number {
  let total = 0;
  const digits = [...text.toLowerCase()].map((c) => ROMAN[c] ?? 0);
  digits.forEach((value, i) => {
    total += value < (digits[i + 1] ?? 0) ? -value : value;
  });
  return total;
}

/** `7`, `VII`, `seven`, `Five` as a number; NaN when it is none of them. */
function seasonNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  const word = WORD_NUMBERS[text.toLowerCase()];
  if (word !== undefined) return word;
  return /^[ivx]+$/i.test(text) ? romanValue(text) : Number.NaN;
}

// Season and episode words of the languages crawls carry. English `Season 4` and `Episode 4` are left to the
// underlying parser (it reads them, and `Star Wars Episode 1` is a film); only English spelled-out or roman
// season numbers are reworded here.
const SEASON_WORD =
  /\b(?:saison|staffel|temporada|temp?\.?|stagione|sezon[ae]?|seizoen|säsong|sæson|kausi)[ ._-]*(\d{1,2}|[ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)\b|\bseason[ ._-]+([ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)\b/gi;
const EPISODE_WORD =
  /\b(?:folge|cap[ií]tulo|cap|episodio|[ée]pisode|odcinek|aflevering|afsnit|jakso|avsnitt)[ ._-]*(\d{1,4})(?:_\d{1,4})?\b/gi;

const REWRITES: readonly Rewrite[] = [
  // Audio channels glued to a codec (`Atmos7.1`, `DDP5.1`) read as S7E1; the codec alone says enough.
  [
    /\b(atmos|truehd|dts(?:-?hd)?(?:[ .-]?ma)?|ddp?|dd\+|e-?ac-?3|ac-?3|aac|flac|opus|l?pcm)[ .]?[1-9][.,][0-2]\b/gi,
    '$1',
  ],
  // Disc numbers of a film (`CD1of2`, `CD 2`), bit rates (`32 Mbps`): neither is an episode.
  [/\b(?:cd|dvd|disc|disk)[ ._-]?\d{1,2}(?:[ ._-]?of[ ._-]?\d{1,2})?\b/gi, ' '],
  [/\b\d{1,3}(?:[.,]\d{1,2})? ?[mk](?:bps|bit\/s)\b/gi, ' '],
  // A disc of a season pack (`S07D1`, `S01.Disc.2`) is the season, not an episode.
  [/\bs(\d{1,2})[ ._-]?d(?:is[ck])?[ ._-]?\d{1,2}\b/gi, (_m, s = '') => `S${pad(Number(s))}`],
  // A year standing for the season (`1940x01`, `MotoGP.2016x03`).
  [/\b((?:19|20)\d\d)x(\d{2,3})\b/gi, (_m, y = '', e = '') => `S${y}E${pad(Number(e))}`],
  // A frame size for a resolution (`HD_1280x720`, `1920x1080`).
  [/\b(?:hd_)?\d{3,4}[x*×](480|576|720|1080|1440|2160)\b/gi, '$1p'],
  // Edition words a title would keep: `The Uncut Version` leaves `The` behind, `10TH ANNiVERSARY` the `10TH`.
  [
    /\bthe[ ._](?=(?:uncut|extended|ultimate|director'?s|theatrical|unrated|special|collector'?s|final|alternate)[ ._](?:version|edition|cut)\b)/gi,
    '',
    'the',
  ],
  [/\b\d{1,2}(?:st|nd|rd|th)[ ._](?=anniversary\b)/gi, '', 'anniversary'],
  // Sources the parser underneath does not know, as ones it does.
  [/\b(br|bd|dvd|hd|web)[ .-]?rip[ .-]?mux\b/gi, '$1Rip', 'mux'],
  [/\bdvdivx\b/gi, 'DVDRip DivX', 'dvdivx'],
  // `1xAll` is the whole season; `Ep 2x03` an episode.
  [/\b(\d{1,2})xall\b/gi, (_m, s = '') => ` S${pad(Number(s))} `, 'xall'],
  [
    /\bep\.?[ ._]?(\d{1,2})x(\d{2,3})\b/gi,
    (_m, s = '', e = '') => ` S${pad(Number(s))}E${pad(Number(e))} `,
    'ep',
  ],
  // `Seasons 4`, `Seasons 1-3`, `Complete Seasons 1 to 5`.
  [
    /\bseasons[ ._-]+(\d{1,2})(?:[ ._-]*(?:-|to|&|and)[ ._-]*(\d{1,2}))?\b/gi,
    (_m, a = '', b) => (b === undefined ? ` S${pad(Number(a))} ` : ` S${pad(Number(a))}-S${pad(Number(b))} `),
    'seasons',
  ],
  // Spaced markers: `S 01 E 04`, `S 02`.
  [/\bS (\d{2})(?: E (\d{2,3}))?\b/g, (_m, s = '', e) => ` S${s}${e === undefined ? '' : `E${e}`} `, 's '],
  // Bracketed compact numbering: `[401]` is S04E01, `[1012]` S10E12; frame heights are not.
  [
    /\[(\d{1,2})(\d{2})\](?!\S*p\b)/g,
    (m, s = '', e = '') =>
      ['720', '1080', '1440', '2160', '480', '576'].includes(s + e) || Number(e) < 1 || Number(e) > 40
        ? m
        : ` S${pad(Number(s))}E${e} `,
    '[',
  ],
  // A year, then a compact number (`title.2014.208.hdtv`): the year is the show's, the number S02E08.
  [
    /\b((?:19|20)\d\d)[ ._](\d{1,2})(\d{2})(?=[ ._-])/g,
    (m, y = '', s = '', e = '') =>
      ['720', '1080', '1440', '2160', '480', '576'].includes(s + e) ||
      /^(?:19|20)\d\d$/.test(s + e) ||
      Number(e) < 1 ||
      Number(e) > 40
        ? m
        : `${y} S${pad(Number(s))}E${e}`,
  ],
  // `- 101 (01) -`: compact numbering with the absolute number beside it.
  [
    / - (\d{1,2})(\d{2}) \(\d{1,4}\)(?= - |\s*$|\.)/g,
    (_m, s = '', e = '') => ` S${pad(Number(s))}E${e} `,
    ')',
  ],
  [
    SEASON_WORD,
    (m, a, b) => {
      const n = seasonNumber(a ?? b ?? '');
      return Number.isNaN(n) || n < 1 ? m : ` S${pad(n)} `;
    },
  ],
  // Spanish `Cap.408` of `Temporada 4` is S04E08: the season leads the chapter number.
  [
    EPISODE_WORD,
    (_m, e = '', _offset, whole = '') => {
      const season = /\bS(\d{2})\b/.exec(whole)?.[1];
      const n = Number(e);
      return season !== undefined && e.length >= 3 && Math.floor(n / 100) === Number(season)
        ? ` S${season}E${pad(n % 100)} `
        : ` E${pad(n)} `;
    },
  ],
  // `S02 E05` once the words above are gone.
  [/\b(S\d{2,4}) +(E\d{2,4})\b/g, '$1$2'],
];

// Part N of M of a documentary series; a film's name with a year keeps the words out of the title only.
const PART_OF = /\b(\d{1,2})[ ._-]?of[ ._-]?\d{1,2}\b/i;
const ANY_YEAR = /\b(?:19|20)\d\d\b/;

// A whole name in brackets (`[ Show S02E10 1080p WEB-DL ]`), with no other bracket inside.
const WRAPPED = /^\[\s+([^[\]]+?)\s*\]$/;
// A label before the name (`HD 720p: Show.S03E16`, `h265 - HEVC Title 1080p`).
const LEADING_LABEL =
  /^(?:(?:[a-z0-9]+ ){0,2}(?:hd|sd|uhd|fhd|4k|\d{3,4}[pi])(?: [a-z0-9]+){0,2} ?: ?|(?:(?:[xh][ .]?26[45]|hevc|avc|xvid|10[ -]?bit)[ ._]*(?:[-–][ ._]*)?)+(?=\p{L}))/iu;
// `09.03.08 Title`: an air date, year first or day first.
const LEADING_DATE = /^(\d{2})[.-](\d{2})[.-](\d{2}|\d{4})[ ._]+(?=\S)/;
// `003. Show Name - Episode Name`: an absolute episode number.
const LEADING_EPISODE = /^(\d{1,4})\. +(?=\p{L})/u;
// `Show - 130 - Episode Name [720p]`, `Show - 215 [720p]`, `Show #957`: an absolute episode, not S01E30. A
// year-like number after the dash is left alone, and so is a name already numbered some other way.
const DASHED_EPISODE =
  / (?:- (?!(?:19|20)\d\d\b)(\d{2,4})(?= - |\s*[[(]|\s*$|\.[a-z0-9]{2,4}$)|#(\d{1,4})\b)/u;
const LETTER = /\p{L}/u;
const OTHER_NUMBERING = /\bS\d{1,4}(?:E\d)?|\b\d{1,2}x\d{2}\b|\bE\d{2,4}\b/i;
// `Show.S2014` with no episode: a sports season named by its year.
const YEAR_SEASON = /\bS((?:19|20)\d\d)\b(?!E\d)/i;
// A year before 1900, in brackets or before the first tag: the first films are from the 1880s.
const EARLY_YEAR = /(?:\(|\[|(?<=\p{L}) )(18[89]\d)(?:\)|\]|(?= ))/u;

function leadingDate(a: string, b: string, c: string): string | null {
  const [first, second, third] = [Number(a), Number(b), Number(c)];
  const fullYear = (y: number) => (y >= 100 ? y : y > 50 ? 1900 + y : 2000 + y);
  if (c.length === 2 && second >= 1 && second <= 12 && third >= 1 && third <= 31)
    return `${fullYear(first)}-${b}-${c}`;
  if (first >= 1 && first <= 31 && second >= 1 && second <= 12)
    return `${fullYear(third)}-${b}-${a.padStart(2, '0')}`;
  return null;
}

/** Rewords a sanitized release name so the underlying parser reads its numbering right. */
export function rewriteForParsing(clean: string): RewrittenName {
  let name = WRAPPED.exec(clean)?.[1] ?? clean;
  name = name.replace(LEADING_LABEL, '');
  let date: string | null = null;
  const dated = LEADING_DATE.exec(name);
  if (dated) {
    date = leadingDate(dated[1] ?? '', dated[2] ?? '', dated[3] ?? '');
    if (date !== null) name = name.slice(dated[0].length);
  }
  let episode: number | null = null;
  const numbered = LEADING_EPISODE.exec(name);
  if (numbered) {
    episode = Number(numbered[1]);
    name = name.slice(numbered[0].length);
  }
  let earlyYear: number | null = null;
  const early = ANY_YEAR.test(name) ? null : EARLY_YEAR.exec(name);
  if (early) {
    earlyYear = Number(early[1]);
    name = name.replace(early[0], ' ');
  }
  const lower = name.toLowerCase();
  for (const [pattern, replacement, hint] of REWRITES) {
    if (hint !== undefined && !lower.includes(hint)) continue;
    name =
      typeof replacement === 'string'
        ? name.replace(pattern, replacement)
        : name.replace(pattern, replacement);
  }
  name = name.replace(PART_OF, (_m, n = '') => (ANY_YEAR.test(name) ? ' ' : ` E${pad(Number(n))} `));
  // A fansub group's name (`[Group] Show - 12`) is read right by the parser underneath already.
  const dashed =
    (name.includes(' - ') || name.includes('#')) && !name.startsWith('[') && !OTHER_NUMBERING.test(name)
      ? DASHED_EPISODE.exec(name)
      : null;
  // Only after a title: `- 12 -` at the start numbers nothing.
  if (dashed && LETTER.test(name.slice(0, dashed.index)))
    name = `${name.slice(0, dashed.index)} E${dashed[1] ?? dashed[2] ?? ''}${name.slice(dashed.index + dashed[0].length)}`;
  let yearSeason: number | null = null;
  const seasonYear = YEAR_SEASON.exec(name);
  if (seasonYear) {
    yearSeason = Number(seasonYear[1]);
    name = name.replace(seasonYear[0], ' ');
  }
  return {
    name: name.replace(/ {2,}/g, ' ').trim(),
    absoluteEpisode: episode,
    leadingDate: date,
    yearSeason,
    earlyYear,
  };
}
