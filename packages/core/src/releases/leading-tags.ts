// Top-level domains of the sites and trackers that put their name in front of a release (`example.to - Title`,
// `(tracker.example) Title`, `[www.site.net] - Title`). A closed list, so a dotted title (`Mr.Robot`, `Dr.No`)
// is never taken for a site.
const SITE_TLD =
  'to|com|org|net|cc|co|in|info|me|io|tv|ws|mx|nu|se|ru|xyz|club|site|biz|example|lol|pw|ag|li|eu|uk|fr|es|it|de|pl|cx|is|st|ms|vip|nl|am|ac|sx|tw|one|top|link|live|pro|app|ch|ph|cm|gg|la|lu|ninja|rip|red|onl|cz|sk|ro|hu|pt|be';
const SITE = `(?:www\\.)?[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)*\\.(?:${SITE_TLD})`;
// `site.to - `, or the site in brackets followed by a space, a dash or a dot.
const LEADING_SITE = new RegExp(
  `^(?:${SITE}\\s+[-–]\\s+|[[({]\\s*${SITE}\\s*[\\])}](?:\\s*[-–.]\\s*|\\s+|\\.|(?=\\[)))`,
  'i',
);
// A fansub group's bracket followed by more brackets before the title (`[Group] [BD][1080p] Title 08`): the
// first one names the group, which the anime numbering relies on; the others are tags.
const EXTRA_LEADING_BRACKETS = /^(\[[^\][]{1,40}\])(?:\s*\[[^\][]{0,40}\])+\s*(?=\S)/;

// Cheap test first: a site in front is bracketed or followed by a spaced dash, which most names have neither of.
const MAYBE_TAGGED = /^[[({]|^\S+\.\S+ [-–] /;

/** A release name without the site or tracker in front of it and without tag brackets before its title. */
export function withoutLeadingTags(name: string): string {
  if (!MAYBE_TAGGED.test(name)) return name;
  let kept = name;
  for (let next = kept.replace(LEADING_SITE, ''); next !== kept; next = kept.replace(LEADING_SITE, ''))
    kept = next;
  return kept.replace(EXTRA_LEADING_BRACKETS, '$1 ');
}
