import { syntheticTorrents } from '@minato/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl, pass1Repeats, pass1Unchanged, searchableAndAcknowledged } from '../support/feed-crawl.js';
import { ownPostgres } from '../support/local-services.js';
import { pipelinePerTest } from '../support/pipeline-per-test.js';
import { waitFor } from '../support/wait-for.js';
import { stopProcess } from '../support/worker-processes.js';
import { metricValue } from '../support/worker-metrics.js';

const listening = (port: number) =>
  waitFor('the feed to listen', async () => (await metricValue(port, 'minato_feed_listening')) === 1, {
    timeoutMs: 60_000,
  });

// A killed worker's jobs come back as stalled after twice this: short, so the test does not wait 60 s.
const LOCK = { JOB_LOCK_MS: '5000' };

describe('the torrents feed loses nothing when no listener hears it', () => {
  const pipeline = pipelinePerTest({ FEED: 'notify' });

  it('makes all of 10,000 rows searchable when the listener is killed while they are inserted', async () => {
    const h = pipeline.h;
    const a = await pipeline.start('ingest', LOCK);
    await listening(a.port);
    const torrents = syntheticTorrents(10_000, 31);
    await crawl(h, torrents.slice(0, 2_500), 250);
    // SIGKILL between two statements: the rows that follow are announced to nobody.
    await stopProcess(a.worker);
    await crawl(h, torrents.slice(2_500), 250);
    const b = await pipeline.start('ingest', LOCK);
    await searchableAndAcknowledged(
      h,
      torrents.map((t) => t.infoHash),
      180_000,
    );
    const caughtUp = await metricValue(b.port, 'minato_feed_torrents_enqueued_total{path="catch_up"}');
    expect(caughtUp).toBeGreaterThanOrEqual(7_500);
    await waitFor('every job completed', async () => (await pass1Repeats(h)).taken >= 10_000);
    // Taken twice by pass 1: only rows that A had enqueued and not yet indexed when B caught up.
    const { repeated } = await pass1Repeats(h);
    const unchanged = await pass1Unchanged(h);
    console.log(
      `feed, listener killed: pass 1 took ${repeated} of 10,000 torrents twice, ${unchanged} of those read and left ` +
        `(already acknowledged); B caught up ${caughtUp}`,
    );
    expect(repeated, `pass 1 took ${repeated} torrents twice; B caught up ${caughtUp}`).toBeLessThanOrEqual(
      caughtUp - 7_500,
    );
  });
});

describe('the torrents feed across a PostgreSQL restart', () => {
  const postgres = ownPostgres('feed25', 5440);
  beforeAll(() => postgres.create(), 60_000);
  afterAll(() => postgres.drop(), 60_000);
  const pipeline = pipelinePerTest({ FEED: 'notify', DATABASE_URL: postgres.url });

  it('listens again and catches up, so rows written around the restart are all searchable', async () => {
    const h = pipeline.h;
    const { worker, port } = await pipeline.start('ingest', LOCK);
    await listening(port);
    const torrents = syntheticTorrents(6_000, 32);
    await crawl(h, torrents.slice(0, 3_000), 250);
    await postgres.restart();
    // The crawler's own connection comes back as a crawler's would: it retries its statement.
    await waitFor(
      'PostgreSQL to take writes again',
      () => crawl(h, torrents.slice(3_000, 3_250), 250).then(() => true),
      {
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    );
    await crawl(h, torrents.slice(3_250), 250);
    await searchableAndAcknowledged(
      h,
      torrents.map((t) => t.infoHash),
      180_000,
    );
    await waitFor(
      'a catch-up after the reconnection',
      async () => (await metricValue(port, 'minato_feed_catch_up_passes_total')) >= 2,
    );
    expect(worker.output()).toMatch(/feed connection lost/);
    expect(await metricValue(port, 'minato_feed_listening')).toBe(1);
    const { repeated } = await pass1Repeats(h);
    const caughtUp = await metricValue(port, 'minato_feed_torrents_enqueued_total{path="catch_up"}');
    const unchanged = await pass1Unchanged(h);
    console.log(
      `feed, PostgreSQL restart: pass 1 took ${repeated} of 6,000 torrents twice, ${unchanged} of those read and ` +
        `left (already acknowledged); catch-ups sent ${caughtUp}`,
    );
    expect(
      repeated,
      `pass 1 took ${repeated} torrents twice; the catch-ups sent ${caughtUp}`,
    ).toBeLessThanOrEqual(caughtUp);
  });
});
