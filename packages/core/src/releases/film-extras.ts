// What a film's bonus material is called after the film's own name and year: scene extras (`-x02-Stunts`),
// featurettes, samples, trailers, deleted scenes. Before the year the same words are the title (`Trailer Park`).
const EXTRA_AFTER_TITLE =
  /(?:^|[ ._-])(?:x\d{2}-\p{L}+|featurettes?|sample|trailers?|teasers?|deleted[ ._]scenes?|behind[ ._]the[ ._]scenes|making[ ._]of|bonus[ ._](?:disc|features?|material)|special[ ._]features|extras|bloopers|gag[ ._]reel|interviews?|storyboards?)(?=$|[ ._\-\])])/iu;
// `sample-title.2008.720p.mkv`: a scene sample file.
const LEADING_SAMPLE = /^sample[-.]/i;

/** True when a film's release name is one of its extras rather than the film. `year` is the film's year. */
export function isFilmExtra(name: string, year: number | null): boolean {
  if (LEADING_SAMPLE.test(name)) return true;
  if (year === null) return false;
  const at = name.indexOf(String(year));
  return at >= 0 && EXTRA_AFTER_TITLE.test(name.slice(at + 4));
}

/** The name without a leading `sample-`, which is no part of the film's title. */
export function withoutSamplePrefix(name: string): string {
  return name.replace(LEADING_SAMPLE, '');
}
