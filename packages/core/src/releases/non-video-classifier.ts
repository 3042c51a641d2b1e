/** What a release holds when it is not a film or an episode. */
export type NonVideoCategory = 'music' | 'software' | 'game' | 'ebook' | 'os';

// Video evidence, one pattern a kind of tag. A real video release carries two kinds or more (resolution and
// codec, an episode marker and a source), which is how a film with FLAC audio stays a film.
const VIDEO_EVIDENCE: readonly RegExp[] = [
  // episode or season marker: S01E02, S01 E02, 3x02, 1940x01, Season 2, a bare S2 (anime), a season's disc
  // S07D1, and the season and episode words of other languages
  /\bs\d{1,3} ?[._-]? ?e\d{1,4}\b|\b(?:\d{1,2}|(?:19|20)\d\d)x\d{2,3}\b|\bseason[ ._]?\d|\bs\d{1,2}\b|\bs\d{1,2} ?d\d{1,2}\b|\b(?:saison|staffel|temporada|stagione|folge|cap[ií]tulo|episodio)[ ._]?(?:\d|[ivx]{1,5}\b)/i,
  // resolution (BD1080p too), or a frame size (1920x1080, HD_1280x720)
  /(?<!\d)(?:240|360|480|540|576|720|1080|1440|2160|4320)[pi]\b|\b(?:4k|uhd)\b|\d{3,4}x(?:480|576|720|1080|2160)\b/i,
  // video source
  /\b(?:blu-?ray|bd(?:rip|remux|mv|25|50)?|br-?rip|web-?dl|web-?rip|hdtv|pdtv|sdtv|dvd-?rip|dvd-?scr|dvd-?r|dvd[59]|full[ ._-]?dvd|video_ts|hd-?rip|hdcam|hd-?ts|cam-?rip|telesync|remux|vhs-?rip|tv-?rip|hdtc)\b/i,
  // video codec
  /\b(?:[xh][ .]?26[45]|hevc|avc|xvid|divx|av1|vp9|mpeg-?2|vc-?1|hi10p?)\b/i,
  // video container as the file extension
  /\.(?:mkv|mp4|avi|m4v|wmv|mov|m2ts|webm|flv|mpe?g|vob)$/i,
];

// A film's whole DVD (`FULL DVD.iso`) names both the source and the container, so it counts as two kinds: it
// is not software for being an ISO. `DVD-R`, `PAL`/`NTSC` and `DVD9` count once: console games and music
// DVDs carry them too.
const DISC_IMAGE = /\bfull[ ._-]?dvd[59]?\b/i;
// ...unless the disc is for a processor architecture (`Windows 7 x64 DVD-R`).
const ARCHITECTURE = /\b(?:x64|x86|amd64|arm64|i[36]86|win(?:32|64))\b/i;

/** How many distinct kinds of video tag (episode marker, resolution, source, codec, container) a name has. */
export function videoEvidence(name: string): number {
  let kinds = DISC_IMAGE.test(name) && !ARCHITECTURE.test(name) ? 2 : 0;
  for (const pattern of VIDEO_EVIDENCE) if (pattern.test(name)) kinds++;
  return kinds;
}

// Strong markers: a name carrying one is not a film even with one video tag beside it (`4K Video Downloader
// 1.5.3 x64`, `Game of Thrones Season 8 (Music from the HBO Series) [MP3 320]`). Each list is a plain
// alternation of literals or short bounded classes, so matching stays linear in the name's length.
const STRONG: readonly (readonly [NonVideoCategory, RegExp])[] = [
  [
    'os',
    /\b(?:ubuntu|kubuntu|xubuntu|debian|linux|linuxmint|archlinux|manjaro|fedora[ -](?:workstation|server|silverblue|\d)|rocky-\d|tails-amd64|zorin os|opensuse|centos|almalinux|freebsd|openbsd|proxmox|raspios|hackintosh|bootcd|livecd|live[ -]usb|usb installer|pop!?_?os|mac ?os ?x|macos[ .](?:sonoma|ventura|monterey|big sur|catalina|mojave|sequoia|high sierra)|windows[ ._](?:xp|vista|7|8(?:\.1)?|10|11|server)[ ._](?:pro|home|enterprise|ultimate|professional|education|ltsc|iot|datacenter|standard|sp\d|x64|x86|\d\dh\d|\d{4}|aio|iso))\b/i,
  ],
  [
    'game',
    /\b(?:fitgirl|dodi|elamigos|chovka|xatab|kaoskrew|r\.?g\.? ?mechanics|gog|steam[ -]?rip|non-steam|nsp|xci|nsz|ps[2345px]|psvita|xbox(?:360|one)?|wii|wiiu|3ds|nds|goty|dlcs?|trainer|early access)\b|-(?:codex|skidrow|reloaded|plaza|empress|rune|flt|tenoke|darksiders|hoodlum|cpy|razor1911|tinyiso|prophet|doge|simplex|anomaly|goldberg|gog|i_know|dinobytes)$|\bupdate[ ._]v?\d/i,
  ],
  [
    'software',
    /\b(?:x64|x86(?:[_-]64)?|amd64|arm64|aarch64|win(?:64|32)|i[36]86|(?:32|64)-?bit|multilingual|multilanguage|multi-?\d{1,2}|portable|keygen|activator|pre-?activated|preactivated|msdn|ltsc|installer|vst3?|r2r|filecr|build[ .]\d{3,}|v\d{1,4}(?:\.\d{1,6}){1,3}|r20\d\d[ab]|iso|img|for mac|mac ?os)\b|\.(?:exe|msi|dmg|apk|iso|img|appimage|deb|rpm|xz)$/i,
  ],
  ['ebook', /\b(?:pdf|epub|mobi|azw3?|djvu|cb[rz]|fb2|e-?book|audio-?book|m4b|unabridged|magazine)\b/i],
  [
    'music',
    /\b(?:flac|mp3|alac|ape|wav|aiff?|ogg|dsd(?:64|128|256)?|dsf|sacd|lossless|discography|vinyl|\d{2,3} ?kbps|(?:16|24) ?-?bits?|(?:16|24)b?-(?:44|48|88|96|176|192)(?:[.,]\d)?(?:khz)?|\d{2,3}(?:[.,]\d)? ?khz|hi-?res|o\.?s\.?t|soundtrack|\d{1,2}cd|cd-?rip|v0|vbr|mp3 ?320)\b|[[(](?:v[02]|320|256|192)(?: ?kbps)?[\])]|^(?:va|various artists) - |-(?:web|cd|cdr|cdm|cds|vinyl|vls|flac|\d{1,2}cd)-(?:19|20)\d\d-[a-z0-9_]+$|\bmp3@/i,
  ],
];

// A version number: `17.5.2` in a dotted name, `1.6` or `24.5.6116` in a spaced one; dates (2024.01.15) and
// audio channel layouts (5.1, 7.1) are not versions.
const DOTTED_VERSION = /\b\d{1,4}\.\d{1,3}\.\d{1,6}\b/;
const SPACED_VERSION = /(?:^|[\s([_-])(\d{1,4}\.\d{1,4}(?:\.\d{1,6}){0,2})(?=$|[\s)\]_-])/;
// A date, also with the two-digit year of scene names (`Show.16.03.08`).
const DATE_LIKE = /^(?:19|20)?\d\d\.(?:0[1-9]|1[0-2])\.(?:0[1-9]|[12]\d|3[01])$/;
// An episode marker: beside it, `04.313` in `s16e03-04.313-314` is an absolute range, not a version.
const EPISODE_MARKER = /\bs\d{1,3} ?e\d{1,4}\b|\b\d{1,2}x\d{2,3}\b/i;
const CHANNEL_LAYOUT = /^(?:[1-7]\.[01]|7\.2)$/;

function hasVersion(name: string): boolean {
  const dotted = DOTTED_VERSION.exec(name);
  if (dotted && !DATE_LIKE.test(dotted[0])) return true;
  if (EPISODE_MARKER.test(name)) return false;
  const spaced = SPACED_VERSION.exec(name);
  return spaced?.[1] !== undefined && !CHANNEL_LAYOUT.test(spaced[1]) && !DATE_LIKE.test(spaced[1]);
}

// Weak markers only count when a name has no video tag at all (`Fight.Club.1999.10th.Anniversary.Edition
// .1080p.BluRay` is a film; `Effective Java 3rd Edition (2018)` is a book): vendors and product names,
// book-ish phrasing, comic volumes, game editions.
const WEAK: readonly (readonly [NonVideoCategory, RegExp])[] = [
  [
    'ebook',
    /\b\d{1,2}(?:st|nd|rd|th) edition\b|\(books? \d|\bbooks? \d{1,2}-\d{1,2}\b|\bcomplete saga\b|\(digital\)|\bv\d{1,3}-v?\d{1,3}\b|\b(?:o'?reilly|packt|apress|manning|wiley|no starch|mit press)\b/i,
  ],
  // `by Author Name`: case matters, a capitalised name follows
  ['ebook', /\bby [A-Z][a-z]*\.? ?[A-Z]/],
  [
    'game',
    /\b(?:deluxe|ultimate|premium|gold|definitive|complete|goty|game of the year|legendary|directors cut) edition\b|\b(?:switch|launcher|repack)\b/i,
  ],
  [
    'software',
    /\b(?:adobe|photoshop|lightroom|illustrator|autocad|autodesk|microsoft|jetbrains|intellij|pycharm|webstorm|vmware|virtualbox|parallels|corel|coreldraw|wondershare|filmora|kaspersky|avast|malwarebytes|ccleaner|winrar|7-zip|nero|steinberg|cubase|ableton|fl studio|davinci|matlab|solidworks|notepad|k-lite|handbrake|obs-studio|vlc|internet download manager|total commander|kmspico|foxit|acrobat|xilisoft|topaz|sony vegas|spotify|android studio|logic pro|final cut pro|visual studio|office (?:20\d\d|pro|professional|365)|pro ?plus|retail-vl|crack(?:ed)?|setup|standalone)\b/i,
  ],
];

/**
 * Says whether a (sanitized) release name is music, software, a game, an ebook or an OS image rather than
 * video, given its count of video tags; `null` means it looks like video, or like nothing in particular.
 */
export function classifyNonVideo(name: string, videoKinds: number): NonVideoCategory | null {
  // Two kinds of video tag outweigh any non-video word (a film with FLAC audio, a show named Halo).
  if (videoKinds >= 2) return null;
  for (const [category, pattern] of STRONG) if (pattern.test(name)) return category;
  if (hasVersion(name)) return 'software';
  if (videoKinds > 0) return null;
  for (const [category, pattern] of WEAK) if (pattern.test(name)) return category;
  return null;
}
