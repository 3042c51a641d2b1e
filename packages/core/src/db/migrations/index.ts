import { sql as torrentsAndMedia } from './0001-torrents-and-media.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Applied in order; a released migration is never edited, only followed by a new one. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'torrents-and-media', sql: torrentsAndMedia },
];
