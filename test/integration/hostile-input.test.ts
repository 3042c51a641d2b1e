import { afterEach, describe, expect, it } from 'vitest';
import { enqueueTorrents, hashesOf, syntheticInfoHash, textArray, type TorrentDocument } from '@minato/core';
import { startTmdbFake } from '@minato/tmdb-fake';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { startReadyWorker, stopProcess, type RunningProcess } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

type Fake = Awaited<ReturnType<typeof startTmdbFake>>;

// Each case is a row of the README's hostile-input table (Operations).
describe('hostile and broken input fails only its own job, with a clear reason, and the worker keeps serving', () => {
  let h: Harness;
  let workers: RunningProcess[] = [];
  let tmdb: Fake | undefined;
  afterEach(async () => {
    await Promise.all(workers.map((w) => stopProcess(w)));
    workers = [];
    await tmdb?.close();
    tmdb = undefined;
    await h.close();
  });
  const start = async (name: 'ingest' | 'enrichment' | 'sync', env: Record<string, string> = {}) => {
    const { worker } = await startReadyWorker(name, { ...h.env, ...env });
    workers.push(worker);
    return worker;
  };
  /** name → failedReason of the failed jobs, read from Redis as is: a job whose data is not JSON cannot be loaded */
  const failedReasons = async (queue: Harness['queues']['CLASSIFY']) => {
    const ids = await h.redis.zrange(queue.toKey('failed'), 0, -1);
    const jobs = await Promise.all(ids.map((id) => h.redis.hmget(queue.toKey(id), 'name', 'failedReason')));
    return Object.fromEntries(jobs.map(([name, reason]) => [name ?? '', reason ?? '']));
  };

  it('fails job data written straight into Redis that is not JSON, misses fields, has wrong types or is 1 MB, and a row that never existed', async () => {
    h = await createHarness();
    const queue = h.queues.TORRENT_INGEST;
    const hashes = (await h.seed(20)).map((t) => t.infoHash);
    // A deleted row's job completes (the deletion record has it, docs/guarantees.md "Deleted means gone"); a row
    // that never existed is bad input.
    const missing = syntheticInfoHash('never-existed');
    // Written as a crawler that skips the typed producers might: BullMQ stores whatever it is given.
    const raw = (name: string, data: unknown) => queue.add(name, data as never);
    await raw('missing-fields', {});
    await raw('wrong-type', { infoHash: 42 });
    await raw('one-megabyte', { infoHash: 'a'.repeat(1_000_000) });
    const notJson = await raw('not-json', { infoHash: hashes[0] });
    await h.redis.hset(queue.toKey(notJson.id!), 'data', '{"infoHash": "unterminated');
    await raw('missing-row', { infoHash: missing });
    await enqueueTorrents(h.queues, 'TORRENT_INGEST', hashes);

    const worker = await start('ingest');
    const reasons = await waitFor(
      'the five bad jobs to fail',
      async () => {
        const found = await failedReasons(queue);
        return Object.keys(found).length >= 5 ? found : null;
      },
      { timeoutMs: 60_000 },
    );
    expect(reasons['missing-fields']).toMatch(
      /^invalid TORRENT_INGEST payload: infoHash .*string.*, got \{\}$/,
    );
    expect(reasons['wrong-type']).toMatch(
      /^invalid TORRENT_INGEST payload: infoHash .*string.*number.*, got \{"infoHash":42\}$/,
    );
    // The payload is quoted up to 200 characters (parsePayload), not the megabyte.
    expect(reasons['one-megabyte']).toMatch(
      /^invalid TORRENT_INGEST payload: infoHash must be a lowercase 40- or 64-character hex info hash, got \{"infoHash":"a{187}$/,
    );
    expect(reasons['not-json']).toMatch(/JSON/);
    expect(reasons['missing-row']).toMatch(new RegExp(`${missing} is not in PostgreSQL`));
    // The good jobs, and jobs enqueued after, are served.
    const later = (await h.seed(5)).map((t) => t.infoHash);
    await enqueueTorrents(h.queues, 'TORRENT_INGEST', later);
    await waitFor('every good row indexed', async () => (await h.pgIndexed([...hashes, ...later])) === 25, {
      timeoutMs: 60_000,
    });
    expect(await queue.getFailedCount()).toBe(5);
    expect(worker.child.exitCode).toBeNull();
  });

  it('takes titles at the 2,000-character limit, with control characters, RTL marks, emoji, lone surrogates or only punctuation through all three passes', async () => {
    h = await createHarness();
    tmdb = await startTmdbFake({ port: 0 });
    const loneSurrogates = 'Inception \ud83c 2010 \udc00 1080p';
    const titles = [
      `${'Long.Title.'.repeat(182)}.2010`.slice(-2_000),
      'Inception\u0001\u0007\u001b[31m.2010.1080p.BluRay',
      '\u202eInception\u200f.2010.\u200e1080p',
      '🎬 Inception 2010 1080p 🍿',
      loneSurrogates,
      '...---!!! ??? ///',
    ];
    expect(titles[0]).toHaveLength(2_000);
    const torrents = await h.seed(
      titles.map((title, i) => ({ infoHash: syntheticInfoHash(`hostile-${i}`), title, size: 1 })),
    );
    const hashes = torrents.map((t) => t.infoHash);
    const env = { TMDB_BASE_URL: tmdb.baseUrl, TMDB_API_KEY: 'minato-dev-key' };
    await Promise.all([start('ingest'), start('enrichment', env), start('sync')]);
    await enqueueTorrents(h.queues, 'TORRENT_INGEST', hashes);
    // The long name and the punctuation name parse as no film or episode, so pass 1 does not hand them on.
    await waitFor(
      'every row indexed at its latest version, the four film names enriched',
      async () => {
        const [row] = await h.sql<{ indexed: number; enriched: number }[]>`SELECT
            count(*) FILTER (WHERE indexed_version = version)::int AS indexed,
            count(*) FILTER (WHERE enriched_at IS NOT NULL)::int AS enriched
          FROM torrents WHERE info_hash = ANY(${textArray(h.sql, hashes)}::text[])`;
        return row?.indexed === titles.length && row.enriched === 4;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    for (const queue of Object.values(h.queues)) expect(await queue.getFailedCount()).toBe(0);
    expect(await h.esCount()).toBe(titles.length);
    // A lone surrogate is not UTF-8: it is stored as U+FFFD, and the document is built from what was stored.
    const replaced = 'Inception \ufffd 2010 \ufffd 1080p';
    const surrogateHash = hashes[titles.indexOf(loneSurrogates)]!;
    const [stored] = await h.sql<{ title: string }[]>`SELECT title FROM torrents
      WHERE info_hash = ${surrogateHash}`;
    expect(stored?.title).toBe(replaced);
    const doc = await h.rest.source<TorrentDocument>(h.config.ELASTICSEARCH_INDEX, surrogateHash);
    expect(doc).toMatchObject({ title_raw: replaced, title: replaced, enriched: true });
    expect(workers.map((w) => w.child.exitCode)).toEqual([null, null, null]);
  });

  it('fails a CLASSIFY job on a TMDB answer of the wrong shape or slower than the timeout, naming it, and keeps serving', async () => {
    h = await createHarness();
    tmdb = await startTmdbFake({ port: 0 });
    const [shape, slow, good] = await h.seed(
      ['Gladiator.2000', 'Whiplash.2014', 'Heat.1995'].map((title, i) => ({
        infoHash: syntheticInfoHash(`tmdb-${i}`),
        title: `${title}.1080p.BluRay.x264-SPARKS`,
        size: 1,
      })),
    );
    const worker = await start('enrichment', {
      TMDB_BASE_URL: tmdb.baseUrl,
      TMDB_API_KEY: 'minato-dev-key',
      TMDB_TIMEOUT_MS: '500',
      ENRICHMENT_CONCURRENCY: '1',
    });
    tmdb.setMode({ mode: 'garbage', garbage: 'wrong-shape' });
    await enqueueTorrents(h.queues, 'CLASSIFY', [shape!.infoHash]);
    const shaped = await waitFor(
      'the wrong shape to fail its job',
      async () => (await h.queues.CLASSIFY.getFailed())[0],
    );
    expect(shaped.failedReason).toMatch(
      /TMDB answered search\/movie with a body that does not fit its schema/,
    );

    tmdb.setMode({ mode: 'slow', delayMs: 2_000 });
    await enqueueTorrents(h.queues, 'CLASSIFY', [slow!.infoHash]);
    const timedOut = await waitFor(
      'the slow answers to fail the job after its attempts',
      async () =>
        (await h.queues.CLASSIFY.getFailed()).find((job) => hashesOf(job.data).includes(slow!.infoHash)),
      { timeoutMs: 60_000 },
    );
    expect(timedOut.failedReason).toMatch(/TMDB did not answer search\/movie within 500 ms/);
    expect(timedOut.attemptsMade).toBe(3);

    tmdb.setMode({ mode: 'ok' });
    await enqueueTorrents(h.queues, 'CLASSIFY', [good!.infoHash]);
    await waitFor('the next job enriched', async () => {
      const [row] = await h.sql<{ status: string | null }[]>`SELECT enrichment_status AS status FROM torrents
        WHERE info_hash = ${good!.infoHash}`;
      return row?.status === 'matched';
    });
    expect(worker.child.exitCode).toBeNull();
  });
});
