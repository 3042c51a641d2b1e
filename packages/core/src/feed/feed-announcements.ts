import { BULK_JOB_HASHES } from '../queues/job-catalog.js';
import type { IdentifiedBulkJob } from '../queues/producers.js';

/** Rows per notification, as the trigger sends them (migration 0005). */
export const FEED_CHUNK_ROWS = 100;

const CHUNKS_PER_BULK_JOB = BULK_JOB_HASHES / FEED_CHUNK_ROWS;

/**
 * A statement of at most this many rows is a crawler's live work: one live job a torrent, served ahead of any
 * backlog and deduplicated by its info hash. A bigger statement (a batch, a COPY) rides the bulk path.
 */
export const FEED_LIVE_MAX_ROWS = FEED_CHUNK_ROWS;

/**
 * A big statement's rows are gathered up to this many at a time, sorted by info hash and cut into bulk jobs of
 * 500 with disjoint hash ranges, the way `minato enqueue ingest --all` sends rows. A crawler writes its rows in
 * random hash order; sent as written, every bulk job's documents spread over the whole `_id` space and each
 * document's version lookup touches every segment of the index (BENCHMARKS.md, Feed: 0.7 of `enqueue --all`
 * unsorted). 100,000 hashes are about 8 MB of heap (measured), held for the moments between a COPY's COMMIT and
 * its last notification.
 */
export const FEED_SORT_WINDOW_ROWS = 100_000;

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
 * Turns announcements into jobs. A small statement's torrents become live jobs at once. A big statement's chunks
 * are gathered in windows of `windowRows` (all of a statement that has fewer); a complete window is sorted by info
 * hash and cut into bulk jobs of 500, disjoint hash ranges, whose id is the statement and the job's place in the
 * statement (`feed-<statement>-<group>`). Every listener builds the same jobs with the same ids, so BullMQ adds
 * each once however many replicas listen, even after the first one completed (it keeps completed jobs for an
 * hour). A window still missing chunks when the connection drops is forgotten (`reset`); the catch-up that follows
 * every reconnection reads those rows from PostgreSQL.
 */
export class FeedAssembler {
  private readonly windows = new Map<string, Map<number, string[]>>();
  private readonly chunksPerWindow: number;

  constructor(windowRows = FEED_SORT_WINDOW_ROWS) {
    this.chunksPerWindow = Math.max(1, Math.floor(windowRows / BULK_JOB_HASHES)) * CHUNKS_PER_BULK_JOB;
  }

  /** Adds one announcement to `work`: the live jobs it brings, or the bulk jobs of the window it completes. */
  add(announcement: FeedAnnouncement, work: FeedWork): void {
    const { statement, rows, chunk, infoHashes } = announcement;
    if (rows <= FEED_LIVE_MAX_ROWS) {
      for (const infoHash of infoHashes) work.live.push({ id: `feed-${statement}-${infoHash}`, infoHash });
      return;
    }
    const window = Math.floor(chunk / this.chunksPerWindow);
    const key = `${statement}-${window}`;
    const chunks = this.windows.get(key) ?? new Map<number, string[]>();
    chunks.set(chunk, infoHashes);
    const totalChunks = Math.ceil(rows / FEED_CHUNK_ROWS);
    const expected = Math.min(this.chunksPerWindow, totalChunks - window * this.chunksPerWindow);
    if (chunks.size < expected) {
      this.windows.set(key, chunks);
      return;
    }
    this.windows.delete(key);
    // Plain comparison, not localeCompare: every listener must sort alike, and hashes are lowercase hex.
    const sorted = [...chunks.values()].flat().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const firstGroup = window * (this.chunksPerWindow / CHUNKS_PER_BULK_JOB);
    for (let i = 0; i < sorted.length; i += BULK_JOB_HASHES) {
      const group = firstGroup + i / BULK_JOB_HASHES;
      work.bulk.push({ id: `feed-${statement}-${group}`, infoHashes: sorted.slice(i, i + BULK_JOB_HASHES) });
    }
  }

  /** Windows of big statements whose chunks are still being gathered. */
  get gathering(): number {
    return this.windows.size;
  }

  /** Forgets partial windows: after a lost connection their other chunks will not come. */
  reset(): void {
    this.windows.clear();
  }
}
