import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { torrentsInJob, type QueueSet } from '@minato/core';

export const BOARD_PATH = '/queues';

/**
 * Bull Board for the three queues under /queues: read-only unless actions are allowed (its API refuses retry,
 * clean and promote on a read-only queue, and console-app.ts refuses every write under /queues as well). A bulk
 * job shows the torrents it carries beside its name.
 */
export async function mountQueueBoard(
  app: FastifyInstance,
  queues: QueueSet,
  allowActions: boolean,
): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: Object.values(queues).map((queue) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode: !allowActions, allowRetries: allowActions });
      adapter.setFormatter('name', (job: { name: string }) => {
        const torrents = torrentsInJob(job.name);
        return job.name.includes(':bulk:') ? `${job.name} (bulk, ${torrents} torrents)` : job.name;
      });
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Minato queues', hideRedisDetails: true } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: BOARD_PATH });
}
