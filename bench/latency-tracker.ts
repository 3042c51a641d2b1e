import { SearchResponseError, textArray, type SearchEngine, type Sql } from '@minato/core';
import { pace } from './progress.js';

interface Tracked {
  enqueuedAt: number;
  acknowledgedMs?: number;
  searchableMs?: number;
}

/**
 * Enqueue → acknowledged (`indexed_version` set in PostgreSQL) and enqueue → searchable (a plain search,
 * no forced refresh, finds it) per torrent. One loop polls for all outstanding torrents at once (one SQL
 * query, one search per round), so the polling load stays the same however many are in flight; a
 * latency is stamped when the answer that first shows the torrent arrives, so it errs long by at most
 * one poll interval plus one query.
 */
export class LatencyTracker {
  private readonly tracked = new Map<string, Tracked>();
  private running: Promise<void> | null = null;
  private stopping = false;
  private rounds = 0;

  constructor(
    private readonly clients: { sql: Sql; search: SearchEngine; alias: string },
    private readonly intervalMs = 20,
  ) {}

  /** Starts timing `infoHash` from `enqueuedAt` (taken just before the enqueue call). */
  track(infoHash: string, enqueuedAt: number): void {
    this.tracked.set(infoHash, { enqueuedAt });
    this.running ??= this.loop();
  }

  /** Torrents not yet both acknowledged and searchable. */
  get outstanding(): number {
    return this.pendingWhere((t) => t.acknowledgedMs === undefined || t.searchableMs === undefined).length;
  }

  /** Waits until every tracked torrent is acknowledged and searchable, then stops polling. */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.outstanding > 0) {
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`${this.outstanding} torrents still not searchable after ${timeoutMs} ms`);
      }
      await pace(50);
    }
    await this.stop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    this.running = null;
    this.stopping = false;
  }

  /** Latencies in ms, and how many poll rounds ran. */
  results(): { acknowledged: number[]; searchable: number[]; rounds: number } {
    const all = [...this.tracked.values()];
    return {
      acknowledged: all.flatMap((t) => (t.acknowledgedMs === undefined ? [] : [t.acknowledgedMs])),
      searchable: all.flatMap((t) => (t.searchableMs === undefined ? [] : [t.searchableMs])),
      rounds: this.rounds,
    };
  }

  /** Each searchable torrent's enqueue → searchable, by info hash. */
  searchableByHash(): Map<string, number> {
    return new Map(
      [...this.tracked].flatMap(([hash, t]) =>
        t.searchableMs === undefined ? [] : [[hash, t.searchableMs] as const],
      ),
    );
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const awaitingAck = this.pendingWhere((t) => t.acknowledgedMs === undefined);
      const awaitingSearch = this.pendingWhere((t) => t.searchableMs === undefined);
      await Promise.all([this.pollAcknowledged(awaitingAck), this.pollSearchable(awaitingSearch)]);
      this.rounds++;
      await pace(this.intervalMs);
    }
  }

  private pendingWhere(predicate: (t: Tracked) => boolean): string[] {
    return [...this.tracked].filter(([, t]) => predicate(t)).map(([hash]) => hash);
  }

  private async pollAcknowledged(hashes: string[]): Promise<void> {
    if (hashes.length === 0) return;
    const rows = await this.clients.sql<{ info_hash: string }[]>`SELECT info_hash FROM torrents
      WHERE info_hash = ANY(${textArray(this.clients.sql, hashes)}::text[]) AND indexed_version IS NOT NULL`;
    const now = Date.now();
    for (const { info_hash } of rows) {
      const t = this.tracked.get(info_hash);
      if (t && t.acknowledgedMs === undefined) t.acknowledgedMs = now - t.enqueuedAt;
    }
  }

  private async pollSearchable(hashes: string[]): Promise<void> {
    if (hashes.length === 0) return;
    const response = await this.clients.search
      .search<unknown>({
        index: this.clients.alias,
        size: hashes.length,
        _source: false,
        query: { terms: { info_hash: hashes } },
      })
      .catch((error: unknown) => {
        // The worker creates the index at start-up; before that a search has nothing to find.
        if (error instanceof SearchResponseError && error.context.status === 404) return null;
        throw error;
      });
    const now = Date.now();
    for (const hit of response?.hits.hits ?? []) {
      const t = hit._id === undefined ? undefined : this.tracked.get(hit._id);
      if (t && t.searchableMs === undefined) t.searchableMs = now - t.enqueuedAt;
    }
  }
}
