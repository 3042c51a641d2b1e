import type { TorrentRecord, TorrentRepository } from '../db/torrent-repository.js';
import { TorrentNotFoundError } from '../errors.js';
import { normalizeTitle, parseRelease, type ParsedRelease } from '../releases/index.js';
import type { ElasticsearchBuffer, WriteOutcome } from './es-buffer.js';
import { buildTorrentDocument } from './torrent-document.js';
import { MicroBatcher } from '../util/micro-batcher.js';

export interface Projection {
  torrent: TorrentRecord;
  release: ParsedRelease;
  outcome: WriteOutcome;
}

/**
 * Writes the Elasticsearch projection of PostgreSQL rows, for pass 1 and pass 3 alike: read the row
 * (batched across concurrent jobs), build the document, write it through the buffer with the row version,
 * and record `indexed_version` only once Elasticsearch acknowledged it.
 */
export class TorrentProjector {
  private readonly loader: MicroBatcher<string, TorrentRecord | undefined>;
  private readonly marker: MicroBatcher<{ infoHash: string; version: number }, undefined>;

  constructor(
    private readonly repository: TorrentRepository,
    private readonly buffer: ElasticsearchBuffer,
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

  /** Projects one torrent; throws TorrentNotFoundError when PostgreSQL has no such row. */
  async project(infoHash: string): Promise<Projection> {
    const torrent = await this.loader.call(infoHash);
    if (!torrent) {
      throw new TorrentNotFoundError(`torrent ${infoHash} is not in PostgreSQL`, { infoHash });
    }
    const release = parseRelease(torrent.title);
    const body = buildTorrentDocument(torrent, release, normalizeTitle(torrent.title));
    const outcome = await this.buffer.add({ id: torrent.infoHash, version: torrent.version, body });
    await this.marker.call({ infoHash: torrent.infoHash, version: torrent.version });
    return { torrent, release, outcome };
  }
}
