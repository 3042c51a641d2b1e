import { describe, expect, it } from 'vitest';
import { NON_VIDEO_CLASSES, releaseCorpus, scoreCorpus, type CorpusShape } from './fixtures/corpus.js';
import { parseRelease } from './release-parser.js';

describe('release corpus', () => {
  it('holds at least 300 names, a third of them or more non-video', () => {
    const nonVideo = releaseCorpus.filter((e) => NON_VIDEO_CLASSES.has(e.class)).length;
    expect(releaseCorpus.length).toBeGreaterThanOrEqual(300);
    expect(nonVideo * 3).toBeGreaterThanOrEqual(releaseCorpus.length);
  });

  it('holds at least 15 names of each shape the third round is about, and 30 non-video traps', () => {
    const count = (shape: CorpusShape) => releaseCorpus.filter((e) => e.shape === shape).length;
    const shapes: CorpusShape[] = [
      'site',
      'edition',
      'absolute',
      'compact',
      'season',
      'titlenum',
      'extra',
      'accented',
    ];
    for (const shape of shapes) expect(count(shape), shape).toBeGreaterThanOrEqual(15);
    const traps = releaseCorpus.filter((e) => e.shape === 'trap');
    expect(traps.length).toBeGreaterThanOrEqual(30);
    expect(traps.filter((e) => !NON_VIDEO_CLASSES.has(e.class))).toEqual([]);
  });

  it('gets at least 99% of names fully right (type, title, year, season, episode)', () => {
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
    expect(score.right / score.total).toBeGreaterThanOrEqual(0.99);
  });

  it("gets every name of the third round's shapes fully right", () => {
    const wrong = scoreCorpus(parseRelease).failures.filter(({ entry }) => entry.shape !== undefined);
    expect(wrong.map(({ entry, wrong: fields }) => `${entry.name}: ${fields.join(', ')}`)).toEqual([]);
  });

  it('calls no video name "other"', () => {
    const other = releaseCorpus
      .filter((e) => !NON_VIDEO_CLASSES.has(e.class))
      .filter((e) => parseRelease(e.name).type === 'other')
      .map((e) => e.name);
    expect(other).toEqual([]);
  });

  it("flags a film's extras as extras under the film's title, and nothing else", () => {
    const flagged = releaseCorpus.filter((e) => parseRelease(e.name).extra).map((e) => e.name);
    expect(flagged.sort()).toEqual(
      releaseCorpus
        .filter((e) => e.extra === true)
        .map((e) => e.name)
        .sort(),
    );
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
