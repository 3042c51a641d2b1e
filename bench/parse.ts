import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { filenameParse } from '@ctrl/video-filename-parser';
import { guessit } from 'guessit-js';
import { parse as parseTorrentTitleV3 } from 'parse-torrent-title';
// The pinned parser the releases module builds on, measured alone; it is a dependency of @minato/core, not of
// the workspace root, hence the path.
import { parseTorrentTitle } from '../packages/core/node_modules/@viren070/parse-torrent-title/dist/index.js';
import { parseRelease } from '../packages/core/src/releases/index.js';
import {
  NON_VIDEO_CLASSES,
  releaseCorpus,
  scoreCorpus,
  type CorpusClass,
  type CorpusShape,
  type Prediction,
} from '../packages/core/src/releases/fixtures/corpus.js';
import { syntheticTorrents } from '../packages/core/src/seed/synthetic-releases.js';
import { scaled, CORPUS_SEED, type BenchOptions } from './options.js';
import { progress } from './progress.js';
import { num, section, table } from './report.js';

type Parse = (name: string) => Prediction;

// The other parsers have no notion of non-video: each gets the same reading of its own output. Episode
// markers make it TV; a year or any video tag makes it a film; nothing at all makes it "other".
function typeFrom(tv: boolean, movieEvidence: boolean, title: string | undefined): Prediction['type'] {
  if (!title) return 'other';
  return tv ? 'tv' : movieEvidence ? 'movie' : 'other';
}

const EXPLICIT_EPISODE_MARKER = /\bs\d{1,4}(?:e\d|\b)|\b\d{1,2}x\d{2}\b|\bseasons?\b/i;

const firstOf = (value: unknown): number | null =>
  Array.isArray(value)
    ? ((value[0] as number | undefined) ?? null)
    : typeof value === 'number'
      ? value
      : null;

const PARSERS: readonly { name: string; parse: Parse }[] = [
  { name: 'minato `parseRelease`', parse: parseRelease },
  {
    name: '@viren070/parse-torrent-title 0.9.1',
    parse: (name) => {
      const r = parseTorrentTitle(name);
      const tv = Boolean(r.seasons?.length || r.episodes?.length || r.date);
      const year = r.year ? Number.parseInt(r.year, 10) : null;
      return {
        type: typeFrom(tv, Boolean(year || r.resolution || r.quality || r.codec), r.title),
        title: r.title || null,
        year,
        season: r.seasons?.[0] ?? null,
        episode: r.episodes?.[0] ?? null,
      };
    },
  },
  {
    name: 'parse-torrent-title 3.0.1',
    parse: (name) => {
      const r = parseTorrentTitleV3(name);
      const tv = r.season !== undefined || r.episode !== undefined;
      return {
        type: typeFrom(tv, Boolean(r.year || r.resolution || r.source || r.codec), r.title),
        title: r.title || null,
        year: r.year ?? null,
        season: r.season ?? null,
        episode: r.episode ?? null,
      };
    },
  },
  {
    // The Radarr/Sonarr port is told by its caller whether a name is a show, as Radarr and Sonarr are by the
    // indexer's category. Read both ways: Sonarr's reading wins when it found numbering and Radarr's found no
    // year, or when the name carries an explicit marker (`S01`, `1x02`, `Season`); otherwise Radarr's (Sonarr
    // alone reads `The.Matrix.1999` as S19E99).
    name: '@ctrl/video-filename-parser 5.4.1',
    parse: (name) => {
      const show = filenameParse(name, true);
      const film = filenameParse(name, false);
      const numbered =
        'isTv' in show &&
        (show.seasons.length > 0 ||
          show.episodeNumbers.length > 0 ||
          show.airDate !== null ||
          show.fullSeason);
      const tv = numbered && (!film.year || EXPLICIT_EPISODE_MARKER.test(name));
      const r = tv ? show : film;
      const year = r.year ? Number.parseInt(r.year, 10) : null;
      return {
        type: typeFrom(tv, Boolean(year || r.resolution || r.sources.length > 0 || r.videoCodec), r.title),
        title: r.title || null,
        year,
        season: tv && 'isTv' in show ? (show.seasons[0] ?? null) : null,
        episode: tv && 'isTv' in show ? (show.episodeNumbers[0] ?? null) : null,
      };
    },
  },
  {
    name: 'guessit-js 3.9.0',
    parse: (name) => {
      const r = guessit(name);
      const title = typeof r.title === 'string' ? r.title : undefined;
      return {
        type: typeFrom(r.type === 'episode', r.type === 'movie', title),
        title: title ?? null,
        year: firstOf(r.year),
        season: firstOf(r.season),
        episode: firstOf(r.episode),
      };
    },
  },
];

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Names per CPU-second of this single-threaded process: the median of `rounds` rounds of `roundMs` CPU time,
 * cycling through `names`. CPU time rather than wall time, so that other work on a shared machine does not
 * count against the parser (GC helper threads do, which errs on the low side).
 */
function throughput(
  parse: (name: string) => unknown,
  names: readonly string[],
  rounds: number,
  roundMs: number,
) {
  const rates: number[] = [];
  let i = 0;
  // Round 0 warms the JIT and is not counted.
  for (let round = 0; round <= rounds; round++) {
    const start = cpuMs();
    let count = 0;
    let elapsed = 0;
    do {
      for (let k = 0; k < 16; k++, count++) parse(names[i++ % names.length] ?? '');
      elapsed = cpuMs() - start;
    } while (elapsed < roundMs);
    if (round > 0) rates.push((count / elapsed) * 1000);
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? Number.NaN;
}

const percent = (right: number, total: number) => `${((100 * right) / total).toFixed(1)}%`;

/** Accuracy per class of minato's parser and four others on the corpus, and its throughput; markdown. */
export function runParseBench(options: BenchOptions = { quick: false }): Promise<string> {
  const rounds = scaled(options, 5, 3);
  const roundMs = scaled(options, 1_000, 300);
  const classes = [...new Set(releaseCorpus.map((e) => e.class))];
  const nonVideo = releaseCorpus.filter((e) => NON_VIDEO_CLASSES.has(e.class));
  const allNames = releaseCorpus.map((e) => e.name);

  const columns = PARSERS.map((parser) => {
    progress(`parse: scoring ${parser.name}`);
    const score = scoreCorpus(parser.parse);
    const enrichedNonVideo = nonVideo.filter((e) => parser.parse(e.name).type !== 'other').length;
    const rate = throughput(parser.parse, allNames, rounds, roundMs);
    return { score, enrichedNonVideo, rate };
  });

  const cell = (cls: CorpusClass) => (c: (typeof columns)[number]) => {
    const row = c.score.perClass.get(cls);
    return row ? percent(row.right, row.total) : 'n/a';
  };
  // The shapes of name the third round added (issue 27), each scored apart: a subset of the classes above.
  const shapes = [...new Set(releaseCorpus.flatMap((e) => (e.shape === undefined ? [] : [e.shape])))];
  const shapeCell = (shape: CorpusShape) => (c: (typeof columns)[number]) => {
    const names = releaseCorpus.filter((e) => e.shape === shape);
    const wrong = c.score.failures.filter(({ entry }) => entry.shape === shape).length;
    return percent(names.length - wrong, names.length);
  };
  const accuracy = table(
    ['class', 'names', ...PARSERS.map((p) => p.name)],
    [
      ...classes.map((cls) => [
        cls,
        String(releaseCorpus.filter((e) => e.class === cls).length),
        ...columns.map(cell(cls)),
      ]),
      ...shapes.map((shape) => [
        `of which shape \`${shape}\``,
        String(releaseCorpus.filter((e) => e.shape === shape).length),
        ...columns.map(shapeCell(shape)),
      ]),
      [
        '**all, fully right**',
        String(releaseCorpus.length),
        ...columns.map((c) => `**${percent(c.score.right, c.score.total)}**`),
      ],
      [
        'non-video typed movie/tv (sent to TMDB)',
        String(nonVideo.length),
        ...columns.map((c) => String(c.enrichedNonVideo)),
      ],
      ['throughput on the corpus, names per CPU-second', '', ...columns.map((c) => num(c.rate))],
    ],
  );

  progress('parse: throughput by kind of name');
  const video = releaseCorpus.filter((e) => !NON_VIDEO_CLASSES.has(e.class)).map((e) => e.name);
  const synthetic = syntheticTorrents(scaled(options, 20_000, 2_000), CORPUS_SEED).map((t) => t.title);
  const sets: [string, readonly string[]][] = [
    ['whole corpus', allNames],
    ['video names of the corpus only', video],
    ['non-video names of the corpus only', nonVideo.map((e) => e.name)],
    ['`minato seed` synthetic mix', synthetic],
  ];
  // The underlying parser alone on the same names, measured alternately: the floor set by the dependency,
  // and a reference that moves with the machine's load as much as ours does.
  const speed = table(
    ['names', 'count', 'parseRelease names/s', '@viren070/parse-torrent-title alone, names/s'],
    sets.map(([label, names]) => [
      label,
      String(names.length),
      num(throughput(parseRelease, names, rounds, roundMs)),
      num(throughput(parseTorrentTitle, names, rounds, roundMs)),
    ]),
  );

  const misses =
    columns[0]?.score.failures.map(({ entry, wrong }) => `- \`${entry.name}\`: ${wrong.join(', ')}`) ?? [];
  const report = section(
    'Release parsing',
    [
      'Command: `node --import tsx bench/parse.ts` (from the repository root).',
      `Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'}, single thread, throughput in names per CPU-second (median of ${rounds} rounds of ${num(roundMs)} ms CPU).`,
      `Corpus: \`packages/core/src/releases/fixtures/corpus.json\`, ${releaseCorpus.length} hand-labelled names, ${nonVideo.length} of them non-video.`,
      'Rows "of which shape" score the names of the third round by the shape of name they stand for (sites in',
      'front, edition words, absolute and compact numbering, season words, numbers of the title, extras, accented',
      'and original-language titles, and non-video traps); they are counted in the class rows above too.',
      '"Fully right" = type, title (compared by `titleKey`), year, season and episode all as labelled; for',
      'non-video names only the type is scored (they must come out `other`). The other parsers have no non-video',
      'notion: episode markers make TV, a year or any video tag makes a film.',
    ].join('\n'),
    accuracy,
    speed,
    misses.length === 0 ? 'minato misses: none.' : `minato misses:\n\n${misses.join('\n')}`,
  );
  // Synchronous work, but a promise like every other section, so `bench/run.ts` can await them alike.
  return Promise.resolve(report);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${await runParseBench({ quick: process.argv.includes('--quick') })}\n`);
}
