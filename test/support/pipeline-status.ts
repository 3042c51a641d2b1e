import { DeletionRepository, FailureRepository, pipelineStatus, type PipelineStatus } from '@minato/core';
import type { Harness } from './pipeline-harness.js';

/** A status with every part read: what a test of a running pipeline, all its services up, expects. */
export type ReachedStatus = { [K in keyof PipelineStatus]: NonNullable<PipelineStatus[K]> };

/** `minato status`'s counts for a harness's schema, index and queues, every part required. */
export async function statusOf(
  h: Pick<Harness, 'repository' | 'sql' | 'search' | 'config' | 'queues'>,
): Promise<ReachedStatus> {
  const status = await pipelineStatus({
    postgres: {
      repository: h.repository,
      failures: new FailureRepository(h.sql),
      deletions: new DeletionRepository(h.sql),
    },
    search: { client: h.search, index: h.config.ELASTICSEARCH_INDEX },
    queues: h.queues,
  });
  const { postgres, elasticsearch, queues, failures, deletions } = status;
  if (!postgres || !elasticsearch || !queues || !failures || !deletions) {
    throw new Error(`a part of the status was not read: ${JSON.stringify(status)}`);
  }
  return { postgres, elasticsearch, queues, failures, deletions };
}
