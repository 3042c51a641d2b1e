import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import {
  createLogger,
  ElasticsearchBuffer,
  ensureIndex,
  MediaRepository,
  reindex,
  searchTorrents,
  TorrentProjector,
  type Config,
} from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';

const logger = createLogger({ level: 'silent', format: 'json' });

function buffer(
  h: Harness,
  config: Config,
  overrides: Partial<ConstructorParameters<typeof ElasticsearchBuffer>[0]> = {},
) {
  return new ElasticsearchBuffer({
    client: h.search,
    index: config.ELASTICSEARCH_INDEX,
    maxDocs: 500,
    maxWaitMs: 1_000,
    idleMs: 20,
    maxPendingDocs: 2_000,
    logger,
    registry: new Registry(),
    ...overrides,
  });
}

describe('the Elasticsearch projection follows PostgreSQL', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    await ensureIndex(h.search, h.config.ELASTICSEARCH_INDEX, { replicas: 0 });
  });
  afterEach(() => h.close());

  it('never lets a late pass-1 write replace the enriched pass-3 document', async () => {
    const [torrent] = await h.seed([
      { infoHash: 'b'.repeat(40), title: 'Dune.2021.2160p.WEB-DL.x265-FLUX', size: 10 },
    ]);
    await h.sql`UPDATE torrents SET indexed_version = NULL, enriched_at = NULL, media_id = NULL, enrichment_status = NULL WHERE info_hash = ${torrent!.infoHash}`;
    // Pass 1's buffer holds its document (a delayed flush): nothing leaves it until we flush by hand.
    const slow = buffer(h, h.config, { maxWaitMs: 600_000, idleMs: 600_000 });
    const late = new TorrentProjector(h.repository, slow).project(torrent!.infoHash);

    // Meanwhile pass 2 enriches the row and pass 3 writes the newer version.
    const media = new MediaRepository(h.sql);
    const saved = await media.saveLookup(
      'movie:dune:2021',
      {
        mediaType: 'movie',
        tmdbId: 438631,
        title: 'Dune',
        originalTitle: 'Dune',
        year: 2021,
        overview: 'Paul Atreides…',
        posterPath: '/d5NXSklXo0qyIYkgV94XAgMIckC.jpg',
        rating: 7.8,
        voteCount: 12000,
        imdbId: 'tt1160419',
      },
      0.98,
      60,
    );
    await h.repository.saveEnrichment(torrent!.infoHash, 'matched', saved.media!.id);
    const fast = buffer(h, h.config);
    const synced = await new TorrentProjector(h.repository, fast).project(torrent!.infoHash);
    expect(synced.outcome).toBe('indexed');

    await slow.flush();
    expect((await late).outcome).toBe('superseded');
    const doc = await h.rest.document<{ enriched: boolean; poster_url: string; rating: number }>(
      h.config.ELASTICSEARCH_INDEX,
      torrent!.infoHash,
    );
    expect(doc?.version).toBe(synced.torrent.version);
    expect(doc?.source).toMatchObject({ enriched: true, rating: 7.8 });
    expect(doc?.source.poster_url).toContain('/d5NXSklXo0qyIYkgV94XAgMIckC.jpg');
    const [row] = await h.repository.findMany([torrent!.infoHash]);
    expect(row?.indexedVersion).toBe(synced.torrent.version);
    await Promise.all([slow.close(), fast.close()]);
  });

  it('keeps every query answering while reindex swaps the alias, with the same document count', async () => {
    const torrents = await h.seed(2_000);
    const writer = buffer(h, h.config);
    const projector = new TorrentProjector(h.repository, writer);
    await Promise.all(torrents.map((t) => projector.project(t.infoHash)));
    await writer.close();
    const before = await h.esCount();
    expect(before).toBe(2_000);

    let queries = 0;
    const failures: unknown[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          await searchTorrents(h.search, h.config.ELASTICSEARCH_INDEX, 'matrix', 3);
          queries++;
        } catch (error) {
          failures.push(error);
        }
      }
    })();
    const result = await reindex({
      client: h.search,
      alias: h.config.ELASTICSEARCH_INDEX,
      layout: { replicas: 0 },
      repository: h.repository,
      logger,
    });
    running = false;
    await loop;

    expect(failures).toEqual([]);
    expect(queries).toBeGreaterThan(0);
    expect(result.from).toHaveLength(1);
    expect(await h.esCount()).toBe(before);
    expect(await h.search.indexExists(result.from[0]!)).toBe(false);
  });
});
