import { createHash } from 'node:crypto';
import type { NewTorrent } from '../db/torrent-repository.js';

// Real titles, so the TMDB fake (and TMDB itself) can match them; crawls repeat a film across many releases.
const MOVIES: readonly [string, number][] = [
  ['The Matrix', 1999],
  ['Inception', 2010],
  ['Interstellar', 2014],
  ['The Dark Knight', 2008],
  ['Pulp Fiction', 1994],
  ['Fight Club', 1999],
  ['Forrest Gump', 1994],
  ['The Godfather', 1972],
  ['Gladiator', 2000],
  ['Parasite', 2019],
  ['Whiplash', 2014],
  ['Arrival', 2016],
  ['Joker', 2019],
  ['Blade Runner 2049', 2017],
  ['Mad Max Fury Road', 2015],
  ['The Lion King', 1994],
  ['The Lion King', 2019],
  ['Dune', 1984],
  ['Dune', 2021],
  ['1917', 2019],
  ['Alien', 1979],
  ['Aliens', 1986],
  ['Heat', 1995],
  ['Se7en', 1995],
  ['Oppenheimer', 2023],
  ['Everything Everywhere All at Once', 2022],
  ['Get Out', 2017],
  ['The Social Network', 2010],
  ['No Country for Old Men', 2007],
  ['Spirited Away', 2001],
  ['Total Recall', 1990],
  ['Total Recall', 2012],
  ['RoboCop', 1987],
  ['The Thing', 1982],
  ['Jurassic Park', 1993],
  ['Titanic', 1997],
  ['Avatar', 2009],
  ['The Shawshank Redemption', 1994],
  ['Goodfellas', 1990],
  ['Amelie', 2001],
  ['Toy Story', 1995],
  ['Up', 2009],
  ['Her', 2013],
  ['Drive', 2011],
  ['Gravity', 2013],
  ['Memento', 2000],
  ['The Prestige', 2006],
  ['Prisoners', 2013],
  ['Sicario', 2015],
  ['Zodiac', 2007],
];
const SERIES: readonly [string, number][] = [
  ['Breaking Bad', 2008],
  ['Game of Thrones', 2011],
  ['The Wire', 2002],
  ['Stranger Things', 2016],
  ['The Office', 2005],
  ['Better Call Saul', 2015],
  ['Chernobyl', 2019],
  ['The Mandalorian', 2019],
  ['Dark', 2017],
  ['Succession', 2018],
  ['Friends', 1994],
  ['The Sopranos', 1999],
  ['Fargo', 2014],
  ['True Detective', 2014],
  ['Severance', 2022],
];
const ANIME = ['One Piece', 'Jujutsu Kaisen', 'Attack on Titan', 'Frieren', 'Spy x Family', 'Chainsaw Man'];
const ARTISTS: readonly [string, string, number][] = [
  ['Pink Floyd', 'The Dark Side of the Moon', 1973],
  ['Radiohead', 'OK Computer', 1997],
  ['Daft Punk', 'Random Access Memories', 2013],
  ['Miles Davis', 'Kind of Blue', 1959],
  ['Nirvana', 'Nevermind', 1991],
  ['Kendrick Lamar', 'To Pimp a Butterfly', 2015],
];
const SOFTWARE = [
  'Adobe.Photoshop.2024.v25.1.0.x64',
  'Microsoft.Office.2021.ProPlus.x64',
  'ubuntu-24.04.1-desktop-amd64.iso',
  'Windows.11.23H2.x64.MULTi-24.ISO',
  'JetBrains.IntelliJ.IDEA.Ultimate.2024.2.3',
  'VMware.Workstation.Pro.17.5.2',
  'debian-12.7.0-amd64-DVD-1.iso',
  'Blender.4.2.LTS.Win64',
];
const GAMES = [
  'Baldurs.Gate.3.v4.1.1-GOG',
  'Cyberpunk.2077.Phantom.Liberty-RUNE',
  'Elden.Ring.v1.12-FitGirl.Repack',
  'Hades.II.v0.92-GOG',
  'Stardew.Valley.v1.6.8-GOG',
  'The.Witcher.3.Wild.Hunt.Complete.Edition-DODI.Repack',
];
const EBOOKS = [
  'Clean Code - Robert C. Martin (2008) [PDF]',
  'Designing Data-Intensive Applications (2017) EPUB',
  'The Pragmatic Programmer 20th Anniversary Edition (2019) PDF',
  'Dune - Frank Herbert (1965) [EPUB]',
];
const RESOLUTIONS = ['720p', '1080p', '2160p'];
const SOURCES = ['BluRay', 'WEB-DL', 'WEBRip', 'HDTV', 'BDRip'];
const CODECS = ['x264', 'x265', 'H.264', 'HEVC', 'AV1'];
const GROUPS = ['SPARKS', 'RARBG', 'YTS', 'NTb', 'FLUX', 'GECKOS', 'TEPES', 'playWEB'];

/** A small deterministic PRNG (mulberry32), so a seed gives the same corpus on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const dotted = (s: string) => s.replace(/\s+/g, '.');

/** One realistic release name: movies, episodes, packs, anime, music, software, games, ebooks. */
export function syntheticReleaseName(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const quality = () => `${pick(RESOLUTIONS)}.${pick(SOURCES)}.${pick(CODECS)}-${pick(GROUPS)}`;
  const roll = random();
  if (roll < 0.4) {
    const [title, year] = pick(MOVIES);
    return random() < 0.7
      ? `${dotted(title)}.${year}.${quality()}`
      : `${title} (${year}) [${pick(RESOLUTIONS)}] [YTS]`;
  }
  if (roll < 0.6) {
    const [title] = pick(SERIES);
    const season = 1 + Math.floor(random() * 5);
    const pad = (n: number) => String(n).padStart(2, '0');
    return random() < 0.8
      ? `${dotted(title)}.S${pad(season)}E${pad(1 + Math.floor(random() * 10))}.${quality()}`
      : `${dotted(title)}.S${pad(season)}.COMPLETE.${quality()}`;
  }
  if (roll < 0.68) {
    return `[SubsPlease] ${pick(ANIME)} - ${1 + Math.floor(random() * 60)} (${pick(RESOLUTIONS)})`;
  }
  if (roll < 0.8) {
    const [artist, album, year] = pick(ARTISTS);
    return `${artist} - ${album} (${year}) [${random() < 0.5 ? 'FLAC' : 'MP3 320kbps'}]`;
  }
  if (roll < 0.88) return pick(SOFTWARE);
  if (roll < 0.95) return pick(GAMES);
  return pick(EBOOKS);
}

/** A random-looking but reproducible v1 info hash. */
export function syntheticInfoHash(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

/** `count` synthetic torrents; the same `seed` gives the same torrents. */
export function syntheticTorrents(count: number, seed = Date.now()): NewTorrent[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    infoHash: syntheticInfoHash(`${seed}:${i}`),
    title: syntheticReleaseName(random),
    size: Math.floor(50_000_000 + random() * 20_000_000_000),
  }));
}
