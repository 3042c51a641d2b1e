import type { TorrentRecord, TorrentRepository } from '../../db/torrent-repository.js';
import { TorrentNotFoundError } from '../../errors.js';
import { settleTorrents, type FailedTorrent } from '../../torrents/settle-torrents.js';
import { normalizeTitle, parseRelease, type ParsedRelease } from '../../releases/index.js';
import type { ElasticsearchBuffer, Lane, WriteOutcome } from './es-buffer.js';
import { buildTorrentDocument } from './torrent-document.js';
import { MicroBatcher } from '../../util/micro-batcher.js';

/**
 * What became of a row: the buffer's outcome, or `unchanged` when PostgreSQL already records this version as
 * acknowledged (`indexed_version` ≥ `version`) and the caller asked not to write it again (`skipAcknowledged`).
 */
export type ProjectionOutcome = WriteOutcome | 'unchanged';

export interface Projection {
  torrent: TorrentRecord;
  release: ParsedRelease;
  outcome: ProjectionOutcome;
  /** the review cleared the row's enrichment (a rename to another work): it needs pass 2 again */
  reopened: boolean;
}

/**
 * Looks at a row before it is written, and returns the row to write: the same one, or the row as it is after a
 * change the review made (pass 1 and 3 use it to clear the match of a torrent renamed to another work).
 */
export type RowReview = (torrent: TorrentRecord, release: ParsedRelease) => Promise<TorrentRecord>;

/** A bulk job's projections: the torrents written and those that can never be (missing row, rejected document). */
export interface ManyProjections {
  projected: Projection[];
  failed: FailedTorrent[];
}

export interface ProjectOptions {
  /**
   * Rows PostgreSQL already records as acknowledged at their version (`indexed_version` ≥ `version`) are not
   * written again (pass 1: a row the feed's catch-up sent while its first job was still queued). Never for a
   * reindex, which writes rows already indexed elsewhere, nor for pass 3, whose rows need their new version.
   */
  skipAcknowledged?: boolean;
}

function acknowledged(torrent: TorrentRecord): boolean {
  return torrent.indexedVersion !== null && torrent.indexedVersion >= torrent.version;
}

/** A row left as Elasticsearch already holds it; its hand-off is still the caller's (a retry after a crash may need it). */
function unchanged(torrent: TorrentRecord): Projection {
  return { torrent, release: parseRelease(torrent.title), outcome: 'unchanged', reopened: false };
}

/**
 * Writes the Elasticsearch projection of PostgreSQL rows, for pass 1 and pass 3 alike: read the row, build
 * the document, write it through the buffer with the row version, and record `indexed_version` only once
 * Elasticsearch acknowledged it. A live torrent's read and mark are batched across concurrent jobs; a bulk
 * job reads and marks its own torrents in one statement each.
 */
export class TorrentProjector {
  private readonly loader: MicroBatcher<string, TorrentRecord | undefined>;
  private readonly marker: MicroBatcher<{ infoHash: string; version: number }, undefined>;

  constructor(
    private readonly repository: TorrentRepository,
    private readonly buffer: ElasticsearchBuffer,
    private readonly review: RowReview = (torrent) => Promise.resolve(torrent),
  ) {
    this.loader = new MicroBatcher(async (hashes) => {
      const rows = new Map((await repository.findMany(hashes)).map((r) => [r.infoHash, r]));
      return hashes.map((h) => rows.get(h));
    });
    this.marker = new MicroBatcher(async (entries) => {
      await repository.markIndexed(entries);
      return entries.map(() => undefined);
    });
  }

  /**
   * Projects one torrent of a live job (the buffer's live lane); throws TorrentNotFoundError when PostgreSQL has
   * no such row. With `skipAcknowledged`, a row already acknowledged at its version is not written again.
   */
  async project(infoHash: string, { skipAcknowledged = false }: ProjectOptions = {}): Promise<Projection> {
    const read = await this.loader.call(infoHash);
    if (skipAcknowledged && read && acknowledged(read)) return unchanged(read);
    const projection = await this.write(infoHash, read, 'live');
    await this.marker.call({ infoHash, version: projection.torrent.version });
    return projection;
  }

  /** A job's torrents: a live one through the batchers shared by concurrent jobs, a bulk job's on its own. */
  async projectJob(
    infoHashes: readonly string[],
    live: boolean,
    options: ProjectOptions = {},
  ): Promise<ManyProjections> {
    if (!live) return this.projectMany(infoHashes, options);
    const settled = await Promise.allSettled(infoHashes.map((hash) => this.project(hash, options)));
    const { done, failed, retry } = settleTorrents(infoHashes, settled);
    if (retry) throw retry;
    return { projected: done.map((d) => d.value), failed };
  }

  /**
   * Projects a bulk job's torrents with one read and one mark. A torrent that can never be written is returned
   * in `failed`; a transient error (Elasticsearch unreachable past the buffer's retries) is thrown once the
   * acknowledged torrents were marked, so the job's retry finds less to do.
   */
  async projectMany(
    infoHashes: readonly string[],
    { skipAcknowledged = false }: ProjectOptions = {},
  ): Promise<ManyProjections> {
    const rows = new Map((await this.repository.findMany(infoHashes)).map((r) => [r.infoHash, r]));
    const settled = await Promise.allSettled(
      infoHashes.map((hash) => {
        const read = rows.get(hash);
        if (skipAcknowledged && read && acknowledged(read)) return Promise.resolve(unchanged(read));
        return this.write(hash, read, 'bulk');
      }),
    );
    const { done, failed, retry } = settleTorrents(infoHashes, settled);
    await this.repository.markIndexed(
      done
        .filter(({ value }) => value.outcome !== 'unchanged')
        .map(({ value }) => ({ infoHash: value.torrent.infoHash, version: value.torrent.version })),
    );
    if (retry) throw retry;
    return { projected: done.map((d) => d.value), failed };
  }

  private async write(infoHash: string, read: TorrentRecord | undefined, lane: Lane): Promise<Projection> {
    if (!read) throw new TorrentNotFoundError(`torrent ${infoHash} is not in PostgreSQL`, { infoHash });
    const release = parseRelease(read.title);
    const torrent = await this.review(read, release);
    const body = buildTorrentDocument(torrent, release, normalizeTitle(torrent.title));
    const outcome = await this.buffer.add(
      { id: torrent.infoHash, version: torrent.externalVersion, body },
      lane,
    );
    return { torrent, release, outcome, reopened: torrent !== read };
  }
}
