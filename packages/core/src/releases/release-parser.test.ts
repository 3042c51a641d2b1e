import { describe, expect, it } from 'vitest';
import { parseRelease } from './release-parser.js';

function expectRelease(name: string, fields: Record<string, unknown>) {
  expect(parseRelease(name), name).toMatchObject(fields);
}

describe('parseRelease', () => {
  it('reads a scene movie name into title, year and tags', () => {
    expectRelease('The.Matrix.1999.1080p.BluRay.x264-GROUP', {
      type: 'movie',
      title: 'The Matrix',
      year: 1999,
      season: null,
      episode: null,
      enrichable: true,
      category: 'video',
      resolution: '1080p',
      source: 'BluRay',
      codec: 'x264',
      group: 'GROUP',
    });
  });

  it.each([
    ['1917.2019.1080p.BluRay.x264-SPARKS', '1917', 2019],
    ['2001.A.Space.Odyssey.1968.2160p.UHD.BluRay.x265-TERMiNAL', '2001 A Space Odyssey', 1968],
    ['Blade.Runner.2049.2017.1080p.WEB-DL.H264-FGT', 'Blade Runner 2049', 2017],
    ['Blade Runner 2049 (2017) [2160p] [4K] [BluRay] [HDR] [5.1] [YTS.MX]', 'Blade Runner 2049', 2017],
    ['10.Cloverfield.Lane.2016.720p.BluRay.x264-SPARKS', '10 Cloverfield Lane', 2016],
    ['28.Days.Later.2002.1080p.BluRay.x264-HD4U', '28 Days Later', 2002],
    ['2012.2009.1080p.BluRay.x264-METiS', '2012', 2009],
    [
      'Star.Wars.Episode.IV.A.New.Hope.1977.1080p.BluRay.x264-SiNNERS',
      'Star Wars Episode IV A New Hope',
      1977,
    ],
  ])('keeps the numbers that belong to the title: %s', (name, title, year) => {
    expectRelease(name, { type: 'movie', title, year, season: null, episode: null, enrichable: true });
  });

  it('reads an IMDb id and keeps it out of the title', () => {
    expectRelease('Inception.2010.1080p.BluRay.x264.tt1375666-SPARKS', {
      title: 'Inception',
      imdbId: 'tt1375666',
    });
    expectRelease('The Matrix Reloaded (2003) {imdb-tt0234215} [1080p]', {
      title: 'The Matrix Reloaded',
      year: 2003,
      imdbId: 'tt0234215',
    });
  });

  it('reads anime absolute episodes without a season', () => {
    expectRelease('[SubsPlease] Jujutsu Kaisen - 47 (1080p) [ABCDEF12].mkv', {
      type: 'tv',
      title: 'Jujutsu Kaisen',
      season: null,
      episode: 47,
      group: 'SubsPlease',
      enrichable: true,
    });
  });

  it('reads 3x02 episodes and multi-episode S09E23-E24', () => {
    expectRelease('Friends.3x02.The.One.Where.No.One.Is.Ready.DVDRip.XviD-SAiNTS', {
      type: 'tv',
      title: 'Friends',
      season: 3,
      episode: 2,
    });
    expectRelease('The.Simpsons.S09E23-E24.720p.HDTV.x264-GROUP', {
      title: 'The Simpsons',
      season: 9,
      episode: 23,
      episodes: [23, 24],
    });
  });

  it('reads season packs: S01-S10 ranges and S04 COMPLETE', () => {
    expectRelease('Friends.Complete.Series.S01-S10.1080p.BluRay.x265-RARBG', {
      type: 'tv',
      title: 'Friends',
      season: 1,
      seasons: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      episode: null,
    });
    expectRelease('Breaking.Bad.S04.COMPLETE.1080p.BluRay.x264-ROVERS', {
      type: 'tv',
      title: 'Breaking Bad',
      season: 4,
      episode: null,
      complete: true,
    });
  });

  it.each([
    ['Dark.Staffel.3.German.720p.WEB.x264-GROUP', 3, null],
    ['Kaamelott Saison VII FRENCH DVDRIP', 7, null],
    ['La Casa de Papel Temporada 2 Capitulo 5 HDTV 720p', 2, 5],
    ['Der.Tatortreiniger.Staffel.4.Folge.2.German.HDTV-GROUP', 4, 2],
    ['Friends Season Five 720p BluRay x264', 5, null],
  ])('reads season and episode words of other languages: %s', (name, season, episode) => {
    expectRelease(name, { type: 'tv', season, episode });
  });

  it('lists every episode of a range and keeps absolute numbers out of the title', () => {
    expectRelease('Criminal.Minds.s16e03-05.313-315-GROUP', {
      type: 'tv',
      title: 'Criminal Minds',
      seasons: [16],
      episodes: [3, 4, 5],
    });
  });

  it.each([
    ['Gravity.2013.1080p.BluRay.TrueHD.Atmos7.1.x264-GROUP'],
    ['Titanic.1997.CD1of2.DVDRip.XviD-GROUP'],
    ['Baraka 1992 1080p BluRay 32 Mbps x264'],
    ['Apollo.13.1080p.BluRay.x264-GROUP'],
  ])('keeps a film a film when its tags hold numbers: %s', (name) => {
    expectRelease(name, { type: 'movie', season: null, episode: null });
  });

  it('takes the first year of a range and no year from a daily show date', () => {
    expectRelease('Seinfeld Season 1-9 (1989-1998) DVDRip x264', { year: 1989, season: 1 });
    expectRelease('The.Daily.Show.2024.01.15.Jeffrey.Wright.720p.WEB.h264-EDITH', {
      type: 'tv',
      title: 'The Daily Show',
      year: null,
      date: '2024-01-15',
    });
  });

  it('drops a trailing alternative title in parentheses', () => {
    expectRelease('[Judas] Kimi no Na wa (Your Name) (2016) [BD 1080p][HEVC x265 10bit]', {
      type: 'movie',
      title: 'Kimi no Na wa',
      year: 2016,
    });
  });

  it.each([
    ['Pink Floyd - The Dark Side of the Moon (1973) [FLAC]', 'music'],
    ['Adele-30-WEB-2021-ENRiCH', 'music'],
    ['Adobe.Photoshop.2024.v25.1.0.x64', 'software'],
    ['JetBrains.IntelliJ.IDEA.Ultimate.2024.2.3', 'software'],
    ['4K Video Downloader Plus 1.5.3.0069 x64', 'software'],
    ['Baldurs.Gate.3.v4.1.1-GOG', 'game'],
    ['Cyberpunk.2077.Phantom.Liberty-RUNE', 'game'],
    ['Half-Life 2 (2004) [GOG]', 'game'],
    ['Clean Code - Robert C. Martin (2008) [PDF]', 'ebook'],
    ['George Orwell - 1984 (1949) [EPUB]', 'ebook'],
    ['ubuntu-24.04.1-desktop-amd64.iso', 'os'],
    ['Windows.11.23H2.x64.MULTi-24.ISO', 'os'],
  ])('never sends non-video to TMDB: %s', (name, category) => {
    expectRelease(name, { type: 'other', enrichable: false, category, season: null, episode: null });
  });

  it('keeps a film with FLAC audio or a software-sounding title a film', () => {
    expectRelease('Office.Space.1999.1080p.BluRay.x264-HD1080', { type: 'movie', title: 'Office Space' });
    expectRelease('Whiplash (2014) 1080p BluRay x265 HEVC 10bit AAC 5.1-Tigole', {
      type: 'movie',
      year: 2014,
    });
    expectRelease('Movie.Title.2019.1080p.BluRay.FLAC.2.0.x264-GROUP', {
      type: 'movie',
      title: 'Movie Title',
    });
  });

  it('gives a readable title and the year to non-video, for search', () => {
    expectRelease('Pink Floyd - The Dark Side of the Moon (1973) [FLAC]', {
      title: 'Pink Floyd The Dark Side of the Moon',
      year: 1973,
    });
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   \t  '],
    ['only punctuation', '.-_[](){}!?,;:'],
    ['control characters', '\u0000\u0007\u001b[31m\u0008'],
    ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]).toString('utf8')],
    ['lone surrogates', '\ud800\udfff\udc00 \ud83d'],
    ['100 KB', 'a.'.repeat(50_000)],
    ['a bare IMDb id', 'tt1234567'],
    ['a bare number', '1917'],
  ])('treats garbage (%s) as other and not enrichable', (_label, name) => {
    const release = parseRelease(name);
    expect(release.type).toBe('other');
    expect(release.enrichable).toBe(false);
    expect(() => JSON.stringify(release)).not.toThrow();
  });

  it('survives input that is not a string at all', () => {
    expect(parseRelease(undefined as unknown as string)).toMatchObject({ type: 'other', enrichable: false });
  });
});
