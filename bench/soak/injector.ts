import { setTimeout as sleep } from 'node:timers/promises';
import { enqueueTorrents, type QueueSet, type Sql } from '@minato/core';
import type { TmdbFake } from '@minato/tmdb-fake';
import type { RedisEvidence } from './evidence.js';
import type { Fleet } from './fleet.js';
import type { SoakServices } from './services.js';

export const FAULT_KINDS = [
  'worker-kill',
  'redis-restart',
  'postgres-restart',
  'es-stop',
  'tmdb-429',
  'tmdb-500',
  'tmdb-garbage',
  'tmdb-slow',
  'title-update',
  'row-delete',
  'rename-work',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface InjectorDeps {
  services: SoakServices;
  fleet: Fleet;
  tmdb: TmdbFake;
  evidence: RedisEvidence;
  sql: Sql;
  queues: QueueSet;
  random: () => number;
  log: (message: string) => void;
}

// Pauses between faults and how long a timed fault lasts, in milliseconds: [min, max).
const BETWEEN_FAULTS: [number, number] = [4_000, 15_000];
const ES_DOWN: [number, number] = [20_000, 40_000];
const TMDB_FAULT: [number, number] = [5_000, 20_000];
const TITLE_UPDATES = 50;
// Rows deleted in each pass's flight (never indexed; indexed, not enriched; enriched, not synced) and settled ones.
const DELETES_IN_FLIGHT = 5;
const DELETES_SETTLED = 10;
const RENAMES = 10;

/** Films of the TMDB fake's catalog that a renamed torrent is given, with the match its new name must get. */
const RENAME_TARGETS = [
  { name: 'Heat.1995', tmdbId: 949 },
  { name: 'Arrival.2016', tmdbId: 329865 },
  { name: 'Inception.2010', tmdbId: 27205 },
  { name: 'Dune.2021', tmdbId: 438631 },
] as const;

/** Injects one random fault after another until `stop`; each fault ends (service back) before the next. */
export class Injector {
  readonly counts = new Map<FaultKind, number>(FAULT_KINDS.map((k) => [k, 0]));
  /** rows the soak deleted: the audit expects that many fewer, and none of their documents */
  deletedRows = 0;
  /** renamed rows and the TMDB id their new name must be matched to (the latest rename wins) */
  readonly renamed = new Map<string, number>();
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();
  private deck: FaultKind[] = [];

  constructor(private readonly deps: InjectorDeps) {}

  start(): void {
    this.loop = this.run();
  }

  /** Lets the fault in progress finish (services back up, TMDB back to normal), then returns. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** Why injection stopped early: a fault that could not be applied or undone (e.g. a service that did not restart). */
  failure: string | null = null;

  private async run(): Promise<void> {
    try {
      await this.injectUntilStopped();
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
    }
  }

  private async injectUntilStopped(): Promise<void> {
    while (!this.abort.signal.aborted) {
      const waited = await sleep(this.between(BETWEEN_FAULTS), true, { signal: this.abort.signal }).catch(
        () => false,
      );
      if (!waited) return;
      const kind = this.draw();
      this.deps.log(`fault: ${kind}`);
      await this.inject(kind);
      this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    }
  }

  private async inject(kind: FaultKind): Promise<void> {
    const { services, fleet, evidence } = this.deps;
    switch (kind) {
      case 'worker-kill':
        this.deps.log(`  killed ${await fleet.killOne(this.deps.random)}`);
        return;
      case 'redis-restart':
        await evidence.collect();
        await services.restartRedis();
        return;
      case 'postgres-restart':
        await services.restartPostgres();
        return;
      case 'es-stop':
        await services.stopElasticsearch();
        // Not abortable: the soak never ends with Elasticsearch down.
        await sleep(this.between(ES_DOWN));
        await services.startElasticsearch();
        return;
      case 'tmdb-429':
        return this.tmdbFault({ mode: '429', retryAfterSeconds: 2 });
      case 'tmdb-500':
        return this.tmdbFault({ mode: '500' });
      case 'tmdb-garbage':
        return this.tmdbFault({
          mode: 'garbage',
          garbage: this.deps.random() < 0.5 ? 'invalid-json' : 'wrong-shape',
        });
      case 'tmdb-slow':
        return this.tmdbFault({ mode: 'slow', delayMs: 3_000 });
      case 'title-update':
        return this.updateTitles();
      case 'row-delete':
        return this.deleteRows();
      case 'rename-work':
        return this.renameToOtherWorks();
    }
  }

  private async tmdbFault(mode: Parameters<TmdbFake['setMode']>[0]): Promise<void> {
    this.deps.tmdb.setMode(mode);
    await sleep(this.between(TMDB_FAULT));
    this.deps.tmdb.setMode('ok');
  }

  /** A crawler saw new names for torrents already enriched: the rows change (version up) and pass 1 gets them. */
  private async updateTitles(): Promise<void> {
    const rows = await this.deps.sql<{ info_hash: string }[]>`
      UPDATE torrents SET title = regexp_replace(title, '(\.REV[0-9]+)?$', '.REV' || version)
      WHERE info_hash IN (SELECT info_hash FROM torrents WHERE enriched_at IS NOT NULL
                          ORDER BY random() LIMIT ${TITLE_UPDATES})
      RETURNING info_hash`;
    await enqueueTorrents(
      this.deps.queues,
      'TORRENT_INGEST',
      rows.map((r) => r.info_hash),
    );
  }

  /** A takedown: rows deleted as a crawler would (a DELETE), some of them while a pass has them in flight. */
  private async deleteRows(): Promise<void> {
    const rows = await this.deps.sql<{ info_hash: string }[]>`
      WITH picked AS (
        (SELECT info_hash FROM torrents WHERE indexed_version IS NULL ORDER BY random() LIMIT ${DELETES_IN_FLIGHT})
        UNION (SELECT info_hash FROM torrents WHERE indexed_version IS NOT NULL AND enriched_at IS NULL
               ORDER BY random() LIMIT ${DELETES_IN_FLIGHT})
        UNION (SELECT info_hash FROM torrents WHERE enriched_at IS NOT NULL AND indexed_version < version
               ORDER BY random() LIMIT ${DELETES_IN_FLIGHT})
        UNION (SELECT info_hash FROM torrents ORDER BY random() LIMIT ${DELETES_SETTLED}))
      DELETE FROM torrents WHERE info_hash IN (SELECT info_hash FROM picked) RETURNING info_hash`;
    this.deletedRows += rows.length;
    for (const { info_hash } of rows) this.renamed.delete(info_hash);
    this.deps.log(`  deleted ${rows.length} rows`);
  }

  /** A crawler corrects names: matched torrents get the name of another film, and pass 1 gets them. */
  private async renameToOtherWorks(): Promise<void> {
    const rows = await this.deps.sql<{ info_hash: string; tmdb_id: number }[]>`
      SELECT t.info_hash, m.tmdb_id FROM torrents t JOIN media m ON m.id = t.media_id
      WHERE t.enrichment_status = 'matched' ORDER BY random() LIMIT ${RENAMES}`;
    for (const row of rows) {
      const others = RENAME_TARGETS.filter((t) => t.tmdbId !== row.tmdb_id);
      const target = others[Math.floor(this.deps.random() * others.length)]!;
      const title = `${target.name}.1080p.WEB-DL.x264-SOAK${this.renamed.size}`;
      const [renamed] = await this.deps.sql`UPDATE torrents SET title = ${title}
        WHERE info_hash = ${row.info_hash} RETURNING info_hash`;
      if (renamed) this.renamed.set(row.info_hash, target.tmdbId);
    }
    await enqueueTorrents(
      this.deps.queues,
      'TORRENT_INGEST',
      rows.map((r) => r.info_hash),
    );
    this.deps.log(`  renamed ${rows.length} matched rows to other films`);
  }

  /** Every kind once per round, in a random order: even a short soak meets each fault. */
  private draw(): FaultKind {
    if (this.deck.length === 0) {
      this.deck = [...FAULT_KINDS];
      for (let i = this.deck.length - 1; i > 0; i--) {
        const j = Math.floor(this.deps.random() * (i + 1));
        [this.deck[i], this.deck[j]] = [this.deck[j]!, this.deck[i]!];
      }
    }
    return this.deck.pop()!;
  }

  private between([min, max]: [number, number]): number {
    return min + Math.floor(this.deps.random() * (max - min));
  }
}
