import { describe, expect, it } from 'vitest';
import { ingestWorkersPerTest } from '../support/ingest-workers-per-test.js';
import { waitFor } from '../support/wait-for.js';

describe('ingest worker (pass 1) on the real services', () => {
  const pipeline = ingestWorkersPerTest();

  it('makes 5,000 enqueued torrents searchable, each by a word of its title, with indexed_at on all', async () => {
    const torrents = await pipeline.h.seed(5_000);
    const hashes = torrents.map((t) => t.infoHash);
    await pipeline.start();
    await pipeline.h.enqueueIngest(hashes);
    await waitFor('5,000 documents in Elasticsearch', async () => (await pipeline.h.esCount()) === 5_000, {
      timeoutMs: 120_000,
    });
    await waitFor('indexed_at on all 5,000 rows', async () => (await pipeline.h.pgIndexed(hashes)) === 5_000);
    // One word of a normalised release name finds it (separators became spaces).
    const sample = torrents.find((t) => t.title.startsWith('Blade.Runner.2049')) ?? torrents[0];
    const hits = await pipeline.h.search.search<unknown>({
      index: pipeline.h.config.ELASTICSEARCH_INDEX,
      query: {
        bool: { filter: [{ term: { info_hash: sample?.infoHash } }], must: [{ match: { title: 'runner' } }] },
      },
    });
    if (sample?.title.startsWith('Blade.Runner')) expect(hits.hits.hits).toHaveLength(1);
    expect(await pipeline.h.indexedButMissing(hashes)).toEqual([]);
  });

  it('makes a lone torrent searchable long before the buffer maximum wait', async () => {
    // With a 60 s maximum wait, only the idle flush can make it visible within 30 s.
    await pipeline.start({ ES_BUFFER_MAX_WAIT_MS: '60000' });
    const [torrent] = await pipeline.h.seed([
      { infoHash: 'a'.repeat(40), title: 'Arrival.2016.1080p.BluRay.x264-SPARKS', size: 1 },
    ]);
    await pipeline.h
      .sql`UPDATE torrents SET indexed_at = NULL, indexed_version = NULL WHERE info_hash = ${torrent!.infoHash}`;
    await pipeline.h.enqueueIngest([torrent!.infoHash]);
    await waitFor(
      'the lone torrent to be searchable',
      async () => (await pipeline.h.esCount({ match: { title: 'arrival' } })) === 1,
      { timeoutMs: 30_000 },
    );
  });

  it('fails only the job whose document the mapping rejects, with the Elasticsearch reason', async () => {
    const torrents = await pipeline.h.seed(20);
    await pipeline.start();
    // Make one row's document unindexable: a size beyond `long` is rejected by the mapping.
    const bad = torrents[3]!.infoHash;
    await pipeline.h.sql`UPDATE torrents SET size = 9223372036854775807 WHERE info_hash = ${bad}`;
    await pipeline.h.enqueueIngest(torrents.map((t) => t.infoHash));
    await waitFor('19 documents indexed', async () => (await pipeline.h.esCount()) === 19, {
      timeoutMs: 60_000,
    });
    const failed = await waitFor('one failed job', async () => {
      const jobs = await pipeline.h.queues.TORRENT_INGEST.getFailed();
      return jobs.length === 1 ? jobs : null;
    });
    expect(failed[0]?.data).toEqual({ infoHash: bad });
    expect(failed[0]?.failedReason).toMatch(
      /Elasticsearch rejected .*: (mapper_parsing_exception|document_parsing_exception)/,
    );
  });

  it('fails an invalid payload and an unknown torrent at once, and goes on with the next jobs', async () => {
    await pipeline.start();
    const queue = pipeline.h.queues.TORRENT_INGEST;
    const invalid = await queue.add('TORRENT_INGEST', { infoHash: 'not-a-hash' }, { attempts: 5 });
    const unknown = await queue.add('TORRENT_INGEST', { infoHash: 'f'.repeat(64) }, { attempts: 5 });
    const [good] = await pipeline.h.seed(1);
    await pipeline.h.enqueueIngest([good!.infoHash]);
    await waitFor('the good torrent indexed', async () => (await pipeline.h.esCount()) === 1);
    const reasons = await waitFor('both bad jobs failed', async () => {
      const [a, b] = await Promise.all([queue.getJob(invalid.id!), queue.getJob(unknown.id!)]);
      return a?.failedReason && b?.failedReason ? [a, b] : null;
    });
    expect(reasons[0]?.attemptsMade).toBe(1);
    expect(reasons[0]?.failedReason).toMatch(
      /invalid TORRENT_INGEST payload: infoHash must be a lowercase 40- or 64-character hex info hash/,
    );
    expect(reasons[1]?.attemptsMade).toBe(1);
    expect(reasons[1]?.failedReason).toBe(`torrent ${'f'.repeat(64)} is not in PostgreSQL`);
  });
});
