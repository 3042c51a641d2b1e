export { parseRelease, type ParsedRelease, type ReleaseCategory } from './release-parser.js';
export { classifyNonVideo, videoEvidence, type NonVideoCategory } from './non-video-classifier.js';
export { normalizeTitle, sameTitle, titleKey } from './normalize.js';
export { MAX_RELEASE_NAME_LENGTH, sanitizeReleaseName } from './sanitize.js';
export { sameWork } from './same-work.js';
