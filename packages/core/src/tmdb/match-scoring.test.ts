import { describe, expect, it } from 'vitest';
import { matchConfidence, titleSimilarity, yearAgreement } from './match-scoring.js';

const movie = (title: string, year: number | null, originalTitle = title) => ({ title, originalTitle, year });

describe('titleSimilarity', () => {
  it('is 1 for equal keys and 0.95 when only a leading article differs', () => {
    expect(titleSimilarity('dune', 'dune')).toBe(1);
    expect(titleSimilarity('lion king', 'the lion king')).toBe(0.95);
  });

  it('is 0 when either side is empty', () => {
    expect(titleSimilarity('', 'dune')).toBe(0);
  });

  it('rates a short head of a long title above the threshold, but a sequel title below an exact one', () => {
    const birdman = titleSimilarity('birdman', 'birdman or the unexpected virtue of ignorance');
    expect(birdman).toBeGreaterThan(0.6);
    expect(titleSimilarity('dune', 'dune part two')).toBeLessThan(0.75);
  });

  it('tolerates a one-letter spelling difference', () => {
    expect(titleSimilarity('seven', 'se7en')).toBeCloseTo(0.8);
  });
});

describe('yearAgreement', () => {
  it('is 1 for the same year and falls with the distance', () => {
    expect(yearAgreement('movie', 2019, 2019)).toBe(1);
    expect(yearAgreement('movie', 2019, 2018)).toBe(0.9);
    expect(yearAgreement('movie', 2019, 2017)).toBe(0.75);
    expect(yearAgreement('movie', 2019, 1994)).toBe(0.5);
  });

  it('does not punish a series whose release year is later than its first air year', () => {
    expect(yearAgreement('tv', 2019, 2011)).toBe(0.9);
    expect(yearAgreement('tv', 2011, 2019)).toBe(0.5);
  });

  it('costs a little when either year is unknown', () => {
    expect(yearAgreement('movie', null, 2019)).toBe(0.9);
    expect(yearAgreement('movie', 2019, null)).toBe(0.8);
  });
});

describe('matchConfidence', () => {
  it('tells a remake from the original by year', () => {
    const query = { type: 'movie' as const, title: 'The Lion King', year: 2019 };
    expect(matchConfidence(query, movie('The Lion King', 2019))).toBe(1);
    expect(matchConfidence(query, movie('The Lion King', 1994))).toBe(0.5);
  });

  it('ignores case, punctuation, diacritics and & versus and', () => {
    const query = { type: 'movie' as const, title: 'spider man no way home', year: 2021 };
    expect(matchConfidence(query, movie('Spider-Man: No Way Home', 2021))).toBe(1);
    expect(
      matchConfidence(
        { ...query, title: 'Deadpool and Wolverine', year: 2024 },
        movie('Deadpool & Wolverine', 2024),
      ),
    ).toBe(1);
    expect(matchConfidence({ ...query, title: 'Amelie', year: 2001 }, movie('Amélie', 2001))).toBe(1);
  });

  it('matches on the original title when the release uses it', () => {
    const query = { type: 'movie' as const, title: 'Im Westen nichts Neues', year: 2022 };
    expect(
      matchConfidence(query, movie('All Quiet on the Western Front', 2022, 'Im Westen nichts Neues')),
    ).toBe(1);
  });

  it('stays in [0, 1] for unrelated titles', () => {
    const confidence = matchConfidence(
      { type: 'tv', title: 'Breaking Bad', year: 2008 },
      movie('Friends', 1994),
    );
    expect(confidence).toBeGreaterThanOrEqual(0);
    expect(confidence).toBeLessThan(0.3);
  });
});
