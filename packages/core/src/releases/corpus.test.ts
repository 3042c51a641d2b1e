import { describe, expect, it } from 'vitest';
import { NON_VIDEO_CLASSES, releaseCorpus, scoreCorpus } from './fixtures/corpus.js';
import { parseRelease } from './release-parser.js';

describe('release corpus', () => {
  it('holds at least 300 names, a third of them or more non-video', () => {
    const nonVideo = releaseCorpus.filter((e) => NON_VIDEO_CLASSES.has(e.class)).length;
    expect(releaseCorpus.length).toBeGreaterThanOrEqual(300);
    expect(nonVideo * 3).toBeGreaterThanOrEqual(releaseCorpus.length);
  });

  it('gets at least 95% of names fully right (type, title, year, season, episode)', () => {
    const score = scoreCorpus(parseRelease);
    const rows = [...score.perClass].map(([cls, { right, total }]) => ({
      class: cls,
      right,
      total,
      accuracy: `${((100 * right) / total).toFixed(1)}%`,
    }));
    console.table(rows);
    console.log(`overall ${score.right}/${score.total} (${((100 * score.right) / score.total).toFixed(1)}%)`);
    for (const { entry, wrong } of score.failures)
      console.log(`  wrong: ${entry.name} -> ${wrong.join(', ')}`);
    expect(score.right / score.total).toBeGreaterThanOrEqual(0.95);
  });

  it('makes no non-video name enrichable', () => {
    const enriched = releaseCorpus
      .filter((e) => NON_VIDEO_CLASSES.has(e.class))
      .filter((e) => parseRelease(e.name).enrichable)
      .map((e) => e.name);
    expect(enriched).toEqual([]);
  });

  it('records the IMDb ids the corpus names carry', () => {
    for (const entry of releaseCorpus.filter((e) => e.imdbId !== undefined)) {
      expect(parseRelease(entry.name).imdbId, entry.name).toBe(entry.imdbId);
    }
  });
});
