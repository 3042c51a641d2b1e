import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeletionRepository } from '../db/deletion-repository.js';
import { deleteDocuments, type DeletionOutcome } from '../search/indexing/deletion-writer.js';
import type { SearchEngine } from '../search/engines/search-engine.js';

export interface DeletionSweeperOptions {
  deletions: DeletionRepository;
  search: SearchEngine;
  /** the alias deleted through */
  index: string;
  logger: Logger;
  /** where the counters go (a worker's); left out by `minato backfill` */
  registry?: Registry;
  /** deletions per `_bulk` */
  batchSize?: number;
  /** applied deletions older than this are pruned from the record; 0 prunes them at once */
  keepDoneMs?: number;
}

/** What one sweep applied, by outcome. */
export type DeletionSweep = Record<DeletionOutcome, number>;

/**
 * Applies the deletion record (`torrent_deletions`) to Elasticsearch: the pending entries, oldest first, in
 * bulks of external-versioned deletes, each entry marked done once Elasticsearch answered for it. The record is
 * the work list, not Redis: a deletion made while the workers were down, or whose notice Redis lost, waits in
 * PostgreSQL until a sweep (the sync worker's poll, the reconciler, `minato backfill`) finds it, and reading it
 * costs the pending entries only (a partial index), however large the table.
 */
export class DeletionSweeper {
  private readonly counter: Counter<'result'> | undefined;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  /** the sweep in progress: the poll and the reconciler share one sweeper, and two sweeps would apply each entry twice */
  private sweeping: Promise<DeletionSweep> | null = null;
  private stopped = false;
  private failing = false;

  constructor(private readonly options: DeletionSweeperOptions) {
    const { registry, deletions } = options;
    if (!registry) return;
    this.counter = new Counter({
      name: 'minato_deletions_total',
      help: 'Deleted rows whose documents a sweep removed, by outcome: deleted, absent (no document), superseded',
      labelNames: ['result'],
      registers: [registry],
    });
    new Gauge({
      name: 'minato_deletions_pending',
      help: 'Rows deleted in PostgreSQL whose documents Elasticsearch has not yet removed, read at scrape time',
      registers: [registry],
      async collect() {
        this.set((await deletions.counts()).pending);
      },
    });
  }

  /**
   * Applies every pending deletion now; throws what Elasticsearch or PostgreSQL threw, leaving the rest pending.
   * A call made while a sweep runs waits for it and then sweeps again, so it sees every entry recorded before it.
   */
  async sweep(): Promise<DeletionSweep> {
    while (this.sweeping) await this.sweeping.catch(() => undefined);
    const current = this.sweepPending();
    this.sweeping = current;
    try {
      return await current;
    } finally {
      if (this.sweeping === current) this.sweeping = null;
    }
  }

  private async sweepPending(): Promise<DeletionSweep> {
    const { deletions, search, index, batchSize = 1_000, keepDoneMs = 86_400_000 } = this.options;
    const sweep: DeletionSweep = { deleted: 0, absent: 0, superseded: 0 };
    for (;;) {
      const pending = await deletions.pending(batchSize);
      if (pending.length === 0) break;
      const outcomes = await deleteDocuments(
        search,
        index,
        pending.map((d) => ({ id: d.infoHash, version: d.version })),
      );
      // Counted before acknowledged: a scrape that reads no pending entry finds them counted.
      for (const outcome of outcomes.values()) {
        sweep[outcome]++;
        this.counter?.inc({ result: outcome });
      }
      await deletions.acknowledge(pending.filter((d) => outcomes.has(d.infoHash)));
      if (pending.length < batchSize) break;
    }
    if (sweep.deleted + sweep.absent + sweep.superseded > 0) {
      this.options.logger.info(sweep, 'deletions applied');
      await deletions.prune(keepDoneMs);
    }
    return sweep;
  }

  /** Sweeps every `everyMs` until `close`; a failed sweep is logged once per outage and tried again. */
  start(everyMs: number): void {
    const tick = () => {
      this.running = this.sweep()
        .then(() => {
          if (this.failing) this.options.logger.info('deletions are applied again');
          this.failing = false;
        })
        .catch((error: unknown) => {
          if (!this.failing) this.options.logger.warn({ err: error }, 'deletions wait: a sweep failed');
          this.failing = true;
        })
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, everyMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling, after the sweep in progress. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
