import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexPattern, reconcile, SearchUnavailableError } from '@minato/core';
import { createHarness, type Harness } from '../support/pipeline-harness.js';

describe('the reconciler while Elasticsearch recovers its shards', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('stops with an outage instead of taking unreadable documents for missing ones', async () => {
    const torrents = await h.seed(3);
    await h.repository.markIndexed(torrents.map((t) => ({ infoHash: t.infoHash, version: 1 })));
    // A shard that can never be assigned answers every get with no_shard_available_action_exception, as a
    // restarted node does until it has recovered.
    const alias = h.config.ELASTICSEARCH_INDEX;
    await h.rest.request('PUT', `/${indexPattern(alias).replace('*', '1')}?wait_for_active_shards=0`, {
      aliases: { [alias]: {} },
      settings: { number_of_replicas: 0, 'index.routing.allocation.require._name': 'no-such-node' },
    });

    await expect(
      reconcile({ repository: h.repository, search: h.search, index: alias, queues: h.queues }),
    ).rejects.toBeInstanceOf(SearchUnavailableError);
    expect(await h.pgIndexed(torrents.map((t) => t.infoHash))).toBe(3);
    expect(await h.queues.TORRENT_INGEST.count()).toBe(0);
  });
});
