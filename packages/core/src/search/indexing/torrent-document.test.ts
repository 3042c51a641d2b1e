import { describe, expect, it } from 'vitest';
import type { MediaRecord } from '../../db/media-record.js';
import type { TorrentRecord } from '../../db/torrent-repository.js';
import { normalizeTitle } from '../../releases/normalize.js';
import { parseRelease } from '../../releases/release-parser.js';
import { buildTorrentDocument } from './torrent-document.js';

function row(title: string, media: MediaRecord | null = null): TorrentRecord {
  const at = new Date('2026-01-01T00:00:00Z');
  return {
    infoHash: 'a'.repeat(40),
    title,
    size: 1,
    createdAt: at,
    updatedAt: at,
    version: 1,
    externalVersion: 1,
    indexedAt: null,
    indexedVersion: null,
    enrichmentStatus: media ? 'matched' : null,
    enrichedAt: media ? at : null,
    enrichedTitle: media ? title : null,
    media,
  };
}

const document = (title: string, media: MediaRecord | null = null) =>
  buildTorrentDocument(row(title, media), parseRelease(title), normalizeTitle(title));

const oceans: MediaRecord = {
  id: 1,
  mediaType: 'movie',
  tmdbId: 161,
  title: "Ocean's Eleven",
  originalTitle: "Ocean's Eleven",
  year: 2001,
  overview: null,
  posterPath: null,
  rating: 7.4,
  voteCount: 10,
  imdbId: null,
};

describe('buildTorrentDocument', () => {
  it('lists every episode of a multi-episode release and every season of a pack', () => {
    expect(document('Friends.S04E12E13.720p.BluRay.x264-PSYCHD')).toMatchObject({
      seasons: [4],
      episodes: [12, 13],
      pack: false,
      work_key: 'tv:friends:s4:e12-13',
    });
    const pack = document('The.Sopranos.S01-S06.COMPLETE.1080p.BluRay.x264-GROUP');
    expect(pack).toMatchObject({ seasons: [1, 2, 3, 4, 5, 6], pack: true, work_key: 'tv:the sopranos:s1-6' });
    expect(document('Breaking.Bad.S04.1080p.BluRay.x264-ROVERS').pack).toBe(true);
  });

  it('reads an episode number without a season as an absolute one', () => {
    const doc = document('[SubsPlease] One Piece - 1000 (1080p) [ABCDEF12].mkv');
    expect(doc).toMatchObject({ absolute_episodes: [1000], episodes: [1000], seasons: [] });
    expect(document('Attack.on.Titan.S04E30.1080p.WEB.H264-SENPAI').absolute_episodes).toEqual([]);
  });

  it('folds the titles and keys an enriched release by its TMDB id', () => {
    const doc = document('Oceans.Eleven.2001.1080p.BluRay.x264-GROUP', oceans);
    expect(doc.work_titles).toEqual(['oceans eleven']);
    expect(doc.title_folded).toBe('oceans eleven 2001 1080p bluray x264 group');
    expect(doc).toMatchObject({ work_key: 'tmdb:movie:161', years: [2001], media_title: "Ocean's Eleven" });
  });

  it('keys an unenriched film by folded title and year, so spellings of one film group', () => {
    expect(document("Ocean's Eleven (2001) 1080p BluRay").work_key).toBe(
      document('Oceans.Eleven.2001.720p.WEB-DL').work_key,
    );
  });
});
