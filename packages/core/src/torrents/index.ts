export { normalizeInfoHash, isInfoHash } from './info-hash.js';
