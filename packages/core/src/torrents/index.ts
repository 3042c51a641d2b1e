export { normalizeInfoHash, isInfoHash } from './info-hash.js';
export { asError, settleTorrents, type FailedTorrent } from './settle-torrents.js';
