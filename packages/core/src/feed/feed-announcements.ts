import { BULK_JOB_HASHES } from '../queues/job-catalog.js';
import type { IdentifiedBulkJob } from '../queues/producers.js';

/** Rows per notification, as the trigger sends them (migration 0005). */
export const FEED_CHUNK_ROWS = 100;

/**
 * A statement of at most this many rows is a crawler's live work: one live job a torrent, served ahead of any
 * backlog and deduplicated by its info hash. A bigger statement (a batch, a COPY) rides the bulk path.
 */
export const FEED_LIVE_MAX_ROWS = FEED_CHUNK_ROWS;

const CHUNKS_PER_BULK_JOB = BULK_JOB_HASHES / FEED_CHUNK_ROWS;

/** One notification: chunk `chunk` of statement `statement`, which announced `rows` rows in all. */
export interface FeedAnnouncement {
  statement: string;
  rows: number;
  chunk: number;
  infoHashes: string[];
}

const PAYLOAD = /^(\d+):(\d+):(\d+):([0-9a-f,]+)$/;

/** Reads a payload `<statement>:<rows>:<chunk>:<hash>,<hash>,…`; undefined for anything else. */
export function parseAnnouncement(payload: string): FeedAnnouncement | undefined {
  const match = PAYLOAD.exec(payload);
  if (!match) return undefined;
  return {
    statement: match[1]!,
    rows: Number(match[2]),
    chunk: Number(match[3]),
    infoHashes: match[4]!.split(','),
  };
}

/** A live job the feed adds, with an id every listener gives it (`feed-<statement>-<hash>`). */
export interface FeedLiveJob {
  id: string;
  infoHash: string;
}

/** What the announcements received so far call for. */
export interface FeedWork {
  live: FeedLiveJob[];
  bulk: IdentifiedBulkJob[];
}

/**
 * Turns announcements into jobs. A small statement's torrents become live jobs at once; a big statement's
 * chunks are gathered five at a time into bulk jobs of 500 whose id is the statement and the group
 * (`feed-<statement>-<group>`). Every listener builds the same jobs with the same ids, so BullMQ adds each once
 * however many replicas listen, even after the first one completed (it keeps completed jobs for an hour). A group still missing chunks when the connection drops is forgotten (`reset`); the catch-up
 * that follows every reconnection reads those rows from PostgreSQL.
 */
export class FeedAssembler {
  private readonly groups = new Map<string, Map<number, string[]>>();

  /** Adds one announcement; returns the work it completes. */
  add(announcement: FeedAnnouncement, work: FeedWork): void {
    const { statement, rows, chunk, infoHashes } = announcement;
    if (rows <= FEED_LIVE_MAX_ROWS) {
      for (const infoHash of infoHashes) work.live.push({ id: `feed-${statement}-${infoHash}`, infoHash });
      return;
    }
    const group = Math.floor(chunk / CHUNKS_PER_BULK_JOB);
    const key = `${statement}-${group}`;
    const chunks = this.groups.get(key) ?? new Map<number, string[]>();
    chunks.set(chunk, infoHashes);
    const totalChunks = Math.ceil(rows / FEED_CHUNK_ROWS);
    const expected = Math.min(CHUNKS_PER_BULK_JOB, totalChunks - group * CHUNKS_PER_BULK_JOB);
    if (chunks.size < expected) {
      this.groups.set(key, chunks);
      return;
    }
    this.groups.delete(key);
    const ordered = [...chunks].sort(([a], [b]) => a - b).flatMap(([, hashes]) => hashes);
    work.bulk.push({ id: `feed-${key}`, infoHashes: ordered });
  }

  /** Statements whose chunks are still being gathered. */
  get gathering(): number {
    return this.groups.size;
  }

  /** Forgets partial groups: after a lost connection their other chunks will not come. */
  reset(): void {
    this.groups.clear();
  }
}
