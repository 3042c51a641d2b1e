import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRelease, TmdbClient, TmdbMatcher, type TmdbMatchResult } from '@minato/core';
import { defaultCatalog, startTmdbFake, type TmdbFake } from '@minato/tmdb-fake';

// Release names as a crawl carries them, through the real parser, client and matcher, against the fake over
// HTTP: what TMDB's own search finds (original titles, accents folded), the matcher must find too.
let fake: TmdbFake;
let matcher: TmdbMatcher;
const API_KEY = 'release-matching-key';

const movieId = (title: string) => defaultCatalog.movies.find((m) => m.title === title)?.id;

async function matchName(name: string): Promise<TmdbMatchResult> {
  const release = parseRelease(name);
  if (release.type === 'other' || release.title === null) throw new Error(`"${name}" parsed as other`);
  return matcher.match({ type: release.type, title: release.title, year: release.year, imdbId: null });
}

async function tmdbIdOf(name: string): Promise<number | null> {
  const result = await matchName(name);
  return result.status === 'matched' ? result.media.tmdbId : null;
}

beforeAll(async () => {
  fake = await startTmdbFake({ port: 0, apiKey: API_KEY });
  matcher = new TmdbMatcher({
    api: new TmdbClient({ baseUrl: fake.baseUrl, apiKey: API_KEY, timeoutMs: 2_000 }),
  });
});

afterEach(() => {
  fake.reset();
});

afterAll(async () => {
  await fake.close();
});

describe('release names matched against the TMDB fake', () => {
  it('matches a Spanish series whose name starts with an accented letter, written with or without it', async () => {
    expect(await tmdbIdOf('Élite.S01E01.1080p.WEB.x264')).toBe(76669);
    expect(await tmdbIdOf('Elite Temporada 4 Capítulo 3 1080p WEB')).toBe(76669);
  });

  it('matches French and Spanish films by their original titles, accents or apostrophes lost or kept', async () => {
    const cases: [string, number | undefined][] = [
      ["Le Fabuleux Destin d'Amélie Poulain (2001) 1080p BluRay", 194],
      ['Le.Fabuleux.Destin.d.Amelie.Poulain.2001.1080p.BluRay.x264', 194],
      ['Amelie.2001.720p.BluRay.x264', 194],
      ['Intouchables.2011.FRENCH.1080p.WEB.x264', 77338],
      ['La.Cite.de.la.Peur.1994.FRENCH.1080p.WEB', movieId('Fear City: A Family-Style Comedy')],
      ['La Cité de la Peur (1994) [DVDRip]', movieId('Fear City: A Family-Style Comedy')],
      ['Le.Diner.de.Cons.1998.FRENCH.DVDRip.XviD', movieId('The Dinner Game')],
      ['El.Laberinto.del.Fauno.2006.SPANISH.1080p.BluRay', 1417],
    ];
    for (const [name, id] of cases) {
      expect(id, name).toBeTypeOf('number');
      expect(await tmdbIdOf(name), name).toBe(id);
    }
  });

  it('matches a miniseries named with its first-air year as the series, in one search', async () => {
    expect(await tmdbIdOf('Chernobyl.2019.Complete.Mini.Series.1080p.WEB-DL')).toBe(87108);
    expect(fake.requests.map((r) => `${r.path} ${r.query.year}`)).toEqual(['/3/search/tv 2019']);
  });

  it('matches a special named with its episode title to its series', async () => {
    expect(await tmdbIdOf('Doctor.Who.2005.Special.The.Day.of.the.Doctor.720p.BluRay')).toBe(57243);
  });

  it('matches a series whose spaced name keeps its first-air year before the season', async () => {
    expect(parseRelease('Doctor Who 2005 S01 Complete 720p').title).toBe('Doctor Who 2005');
    expect(await tmdbIdOf('Doctor Who 2005 S01 Complete 720p')).toBe(57243);
  });

  it('searches an absolute episode as the series, keeping its number', async () => {
    const name = 'Naruto - 135 - The Promise That Could Not Be Kept [480p]';
    expect(parseRelease(name)).toMatchObject({ type: 'tv', title: 'Naruto', season: null, episode: 135 });
    expect(await tmdbIdOf(name)).toBe(46260);
    expect(fake.requests.map((r) => r.path)).toEqual(['/3/search/tv']);
  });

  it('matches an extra to its film, and an edition to the same film as the plain release', async () => {
    const extra = 'Inception.2010.1080p.BluRay.x264-GRP-x02-Featurette.mkv';
    expect(parseRelease(extra).extra).toBe(true);
    expect(await tmdbIdOf(extra)).toBe(27205);
    const plain = await tmdbIdOf('Blade.Runner.1982.1080p.BluRay.x264');
    expect(plain).toBe(78);
    expect(await tmdbIdOf('Blade.Runner.The.Final.Cut.1982.1080p.BluRay.x264')).toBe(plain);
    expect(await tmdbIdOf('Blade.Runner.Directors.Cut.DC.1982.720p.BRRip')).toBe(plain);
  });

  it('matches nothing for a film the catalog does not hold', async () => {
    expect((await matchName('Silent.Harbor.2008.720p.BluRay.x264')).status).toBe('no_match');
  });
});
