import { sql as torrentsAndMedia } from './0001-torrents-and-media.js';
import { sql as torrentFailures } from './0002-torrent-failures.js';
import { sql as reconcileCheckpoint } from './0003-reconcile-checkpoint.js';
import { sql as deletionsRenamesEpoch } from './0004-deletions-renames-epoch.js';
import { sql as torrentsFeed } from './0005-torrents-feed.js';
import { sql as feedIgnoresEnrichedTitle } from './0006-feed-ignores-enriched-title.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Applied in order; a released migration is never edited, only followed by a new one. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'torrents-and-media', sql: torrentsAndMedia },
  { version: 2, name: 'torrent-failures', sql: torrentFailures },
  { version: 3, name: 'reconcile-checkpoint', sql: reconcileCheckpoint },
  { version: 4, name: 'deletions-renames-epoch', sql: deletionsRenamesEpoch },
  { version: 5, name: 'torrents-feed', sql: torrentsFeed },
  { version: 6, name: 'feed-ignores-enriched-title', sql: feedIgnoresEnrichedTitle },
];
