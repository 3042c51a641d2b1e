import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Logger } from 'pino';
import {
  DocumentNotIndexedError,
  DocumentRejectedError,
  SearchAuthError,
  SearchReadOnlyError,
  SearchUnavailableError,
  type MinatoError,
} from '../../errors.js';
import type { SearchEngine, VersionedDocument } from '../engines/search-engine.js';

/** One document to write, with the row version the engine compares (external versioning). */
export type BufferedDocument = VersionedDocument;

/**
 * `indexed`: Elasticsearch stored this version. `superseded`: it already held this version or a newer
 * one (a 409 under external versioning), which is just as good for the caller: nothing newer is lost.
 */
export type WriteOutcome = 'indexed' | 'superseded';

/**
 * Which job a document belongs to. A live job's document (one torrent a crawler enqueued) never waits behind a bulk
 * job's documents, queued or in flight, nor on back-pressure: live jobs are served ahead of any backlog
 * (docs/guarantees.md, "Cost follows work, not table size"), and their number is bounded by the worker's
 * concurrency, so memory stays bounded too.
 */
export type Lane = 'live' | 'bulk';

export interface ElasticsearchBufferOptions {
  /** the search engine, Elasticsearch or OpenSearch (the name stays: the metrics and logs keep theirs) */
  client: Pick<SearchEngine, 'bulkIndex'>;
  /** the alias written through */
  index: string;
  /** a flush starts at this many queued documents */
  maxDocs: number;
  /** the longest a document waits before a flush starts */
  maxWaitMs: number;
  /**
   * a flush starts this long after the last `add`, so a lone document is not held for maxWaitMs; with a live document
   * queued, this long after the first of them, however often documents come
   */
  idleMs: number;
  /** queued plus in-flight documents above which a bulk-lane `add` waits: memory stays bounded when ES is slow */
  maxPendingDocs: number;
  /**
   * bulks of queued documents in flight at once (2 by default): a further bulk goes out beside those in flight
   * only when a full batch (maxDocs) is queued, so that Elasticsearch always has the next batch while one is
   * acknowledged; a partial batch waits until no bulk is in flight, so batches still grow with load
   */
  maxBulksInFlight?: number;
  /** tries per document for 429/5xx and connection failures before its promise rejects */
  maxAttempts?: number;
  /** backoff before the n-th retry: min(baseBackoffMs·2^n, maxBackoffMs) */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  logger: Logger;
  registry: Registry;
}

interface Entry {
  doc: BufferedDocument;
  lane: Lane;
  attempts: number;
  resolve: (outcome: WriteOutcome) => void;
  reject: (error: Error) => void;
}

interface BufferMetrics {
  pending: Gauge;
  mostPending: Gauge;
  flushDuration: Histogram;
  documents: Counter<'result'>;
}

/**
 * Batches document writes into `_bulk` requests and settles each document's promise from its own item
 * result, so a caller (a job) completes only after Elasticsearch acknowledged its document.
 */
export class ElasticsearchBuffer {
  /** queued documents by lane; a flush takes the live ones first */
  private readonly lanes: Record<Lane, Entry[]> = { live: [], bulk: [] };
  private retrying = 0;
  private mostPending = 0;
  private inFlight = 0;
  /** the bulks of queued documents in flight, at most maxBulksInFlight */
  private readonly flushing = new Set<Promise<void>>();
  /** a bulk of live documents alone, sent beside the bulks in flight */
  private liveFlushing: Promise<void> | null = null;
  private maxWaitTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private spaceWaiters: (() => void)[] = [];
  private progressWaiters: (() => void)[] = [];
  private closed = false;
  /** set by `hurry`: a drain is under way, so every document goes out at once instead of waiting for a timer */
  private hurried = false;
  /** a maxWait or idle deadline passed while a bulk was in flight: the next batch goes when it completes */
  private deadlinePassed = false;
  /** documents waiting out their backoff, by their timer, so a close past its deadline can reject them */
  private readonly retryTimers = new Map<NodeJS.Timeout, Entry>();
  private readonly metrics: BufferMetrics;
  private readonly maxAttempts: number;
  private readonly maxBulksInFlight: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: ElasticsearchBufferOptions) {
    this.maxAttempts = options.maxAttempts ?? 8;
    this.maxBulksInFlight = options.maxBulksInFlight ?? 2;
    this.baseBackoffMs = options.baseBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 8_000;
    this.metrics = {
      pending: new Gauge({
        name: 'minato_es_buffer_documents',
        help: 'Documents queued in or in flight from the Elasticsearch buffer',
        registers: [options.registry],
      }),
      // The bound's own record (a sampled gauge misses the moments between scrapes).
      mostPending: new Gauge({
        name: 'minato_es_buffer_documents_max',
        help: 'The most documents the Elasticsearch buffer held at once since it started',
        registers: [options.registry],
      }),
      flushDuration: new Histogram({
        name: 'minato_es_flush_duration_seconds',
        help: 'Duration of one _bulk request from the buffer',
        buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [options.registry],
      }),
      documents: new Counter({
        name: 'minato_es_documents_total',
        help: 'Documents by bulk item result: indexed, version_conflict (a newer one was there), retried, failed',
        labelNames: ['result'],
        registers: [options.registry],
      }),
    };
  }

  private countPending(): void {
    this.metrics.pending.set(this.pending);
    if (this.pending > this.mostPending) this.metrics.mostPending.set((this.mostPending = this.pending));
  }

  /** Documents queued, retrying or in flight. */
  get pending(): number {
    return this.queued + this.retrying + this.inFlight;
  }

  private get queued(): number {
    return this.lanes.live.length + this.lanes.bulk.length;
  }

  /**
   * Queues a document in its lane (a bulk job's unless the caller says live); resolves once Elasticsearch
   * acknowledged it, rejects with the item's own error.
   */
  async add(doc: BufferedDocument, lane: Lane = 'bulk'): Promise<WriteOutcome> {
    while (lane === 'bulk' && this.pending >= this.options.maxPendingDocs && !this.closed) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.closed) {
      throw new DocumentNotIndexedError(
        `buffer for ${this.options.index} is closed; ${doc.id} was not queued`,
        {
          id: doc.id,
        },
      );
    }
    return new Promise<WriteOutcome>((resolve, reject) => {
      this.enqueue({ doc, lane, attempts: 0, resolve, reject });
    });
  }

  /** Sends everything queued now and waits until it is settled (retries included). */
  async flush(): Promise<void> {
    while (this.pending > 0) {
      this.clearTimers();
      if (this.queued > 0) await this.startFlush();
      else await this.waitForProgress();
    }
  }

  /**
   * From now on, sends documents as soon as they come instead of waiting for maxWait or idle (beside bulks in
   * flight only as a full batch, as always): a drain calls it when the worker stops taking jobs, so the jobs still
   * in flight, each awaiting its own document, finish without waiting for a timer. The buffer stays open for them.
   */
  hurry(): void {
    this.hurried = true;
    this.clearTimers();
    void this.startFlush();
  }

  /** Stops accepting documents, flushes what is queued within `deadlineMs`, rejects the rest. */
  async close(deadlineMs = 20_000): Promise<void> {
    this.closed = true;
    this.releaseSpaceWaiters();
    const deadline = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), deadlineMs).unref(),
    );
    const result = await Promise.race([this.flush().then(() => 'flushed' as const), deadline]);
    if (result === 'timeout') {
      for (const timer of this.retryTimers.keys()) clearTimeout(timer);
      const left = [...this.lanes.live.splice(0), ...this.lanes.bulk.splice(0), ...this.retryTimers.values()];
      this.retryTimers.clear();
      this.retrying = 0;
      for (const entry of left) {
        entry.reject(
          new DocumentNotIndexedError(`shutdown reached its deadline before ${entry.doc.id} was indexed`, {
            id: entry.doc.id,
          }),
        );
      }
      this.notifyProgress();
      this.options.logger.warn(
        { left: left.length },
        'buffer closed with documents not indexed; their jobs will retry',
      );
    }
    this.clearTimers();
  }

  private enqueue(entry: Entry): void {
    this.lanes[entry.lane].push(entry);
    this.countPending();
    this.notifyProgress();
    if (this.queued >= this.options.maxDocs || this.hurried) {
      void this.startFlush();
      return;
    }
    this.maxWaitTimer ??= setTimeout(() => this.onDeadline(), this.options.maxWaitMs);
    // No add postpones the idle deadline a queued live document waits for: a stream of bulk adds would, and so
    // would live ones closer together than idleMs (a crawler's single rows at 50/s), holding it for maxWaitMs.
    const liveWaiting = this.lanes.live.length > (entry.lane === 'live' ? 1 : 0);
    if (liveWaiting && this.idleTimer) return;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.onDeadline(), this.options.idleMs);
  }

  /**
   * While a bulk is in flight the next batch fills, so batches grow with load; a full batch goes out beside the
   * bulks in flight, up to maxBulksInFlight, so that Elasticsearch is never left waiting while one is
   * acknowledged. A batch takes the queued live documents first, then fills up with bulk ones. Live documents due
   * while bulks are in flight go beside them in a bulk of their own (startLiveFlush): a live document never
   * waits behind bulk documents, queued or in flight.
   */
  private startFlush(): Promise<void> {
    if (this.flushing.size > 0) {
      this.startLiveFlush();
      const full = this.queued >= this.options.maxDocs;
      if (!full || this.flushing.size >= this.maxBulksInFlight) return Promise.race(this.flushing);
    }
    this.clearTimers();
    this.deadlinePassed = false;
    if (this.queued === 0) return Promise.resolve();
    const live = this.lanes.live.splice(0, this.options.maxDocs);
    const batch = live.concat(this.lanes.bulk.splice(0, this.options.maxDocs - live.length));
    const flush: Promise<void> = this.sendCounted(batch, () => {
      this.flushing.delete(flush);
      const due = this.closed || this.hurried || this.deadlinePassed;
      if (this.queued >= this.options.maxDocs || (due && this.queued > 0)) {
        void this.startFlush();
      } else if (this.queued > 0) {
        this.maxWaitTimer ??= setTimeout(() => this.onDeadline(), this.options.maxWaitMs);
        this.idleTimer ??= setTimeout(() => this.onDeadline(), this.options.idleMs);
      }
    });
    this.flushing.add(flush);
    return flush;
  }

  /**
   * Sends the queued live documents alone while the main bulk is in flight: at most one such bulk at a time, so
   * live documents batch among themselves under load as bulk ones do.
   */
  private startLiveFlush(): void {
    if (this.liveFlushing || this.lanes.live.length === 0) return;
    const batch = this.lanes.live.splice(0, this.options.maxDocs);
    this.liveFlushing = this.sendCounted(batch, () => {
      this.liveFlushing = null;
      this.notifyProgress();
      if (this.lanes.live.length > 0) void this.startFlush();
    });
  }

  /** Sends a batch, counted as in flight until it settles; `next` then decides what goes out next. */
  private sendCounted(batch: Entry[], next: () => void): Promise<void> {
    this.inFlight += batch.length;
    return this.sendBulk(batch).finally(() => {
      this.inFlight -= batch.length;
      this.countPending();
      this.releaseSpaceWaiters();
      next();
    });
  }

  private async sendBulk(batch: Entry[]): Promise<void> {
    const { client, index, logger } = this.options;
    const stopTimer = this.metrics.flushDuration.startTimer();
    let response;
    try {
      response = await client.bulkIndex(
        index,
        batch.map(({ doc }) => doc),
      );
    } catch (error) {
      stopTimer();
      if (error instanceof SearchAuthError) {
        // Every later request would be refused the same way: the worker parks instead of retrying.
        for (const entry of batch) entry.reject(error);
        return;
      }
      logger.warn({ err: error, docs: batch.length }, 'bulk request failed; retrying its documents');
      for (const entry of batch) this.retryOrFail(entry, `bulk request failed: ${(error as Error).message}`);
      return;
    }
    stopTimer();
    let indexed = 0;
    let superseded = 0;
    response.items.forEach((result, i) => {
      const entry = batch[i];
      if (!entry) return;
      const status = result.status;
      if (status >= 200 && status < 300) {
        indexed++;
        entry.resolve('indexed');
      } else if (status === 409) {
        superseded++;
        entry.resolve('superseded');
      } else if (result.error?.type === 'cluster_block_exception') {
        // 429 for the flood-stage block, 403 for a write block: no retry helps until an operator clears it.
        const reason = result.error.reason ?? 'blocked';
        entry.reject(this.notIndexed(SearchReadOnlyError, entry, `${index} refuses writes: ${reason}`));
      } else if (status === 429 || status >= 500) {
        this.retryOrFail(entry, `${status} ${result.error?.type ?? ''}: ${result.error?.reason ?? ''}`);
      } else {
        this.metrics.documents.inc({ result: 'failed' });
        const reason = `${result.error?.type ?? status}: ${result.error?.reason ?? 'rejected'}`;
        logger.error({ id: entry.doc.id, status, reason }, 'Elasticsearch rejected a document');
        entry.reject(
          new DocumentRejectedError(`Elasticsearch rejected ${entry.doc.id}: ${reason}`, {
            id: entry.doc.id,
            status,
          }),
        );
      }
    });
    this.metrics.documents.inc({ result: 'indexed' }, indexed);
    this.metrics.documents.inc({ result: 'version_conflict' }, superseded);
    logger.debug({ docs: batch.length, indexed, superseded, took: response.took }, 'bulk flushed');
  }

  private retryOrFail(entry: Entry, reason: string): void {
    entry.attempts++;
    if (entry.attempts >= this.maxAttempts) {
      entry.reject(
        this.notIndexed(SearchUnavailableError, entry, `after ${entry.attempts} attempts: ${reason}`),
      );
      return;
    }
    this.metrics.documents.inc({ result: 'retried' });
    const delay = Math.min(this.baseBackoffMs * 2 ** (entry.attempts - 1), this.maxBackoffMs);
    this.retrying++;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.retrying--;
      this.enqueue(entry);
    }, delay);
    this.retryTimers.set(timer, entry);
  }

  /** Counts a document as failed and builds the outage error its job parks on. */
  private notIndexed(
    kind: new (message: string, context: Record<string, unknown>) => MinatoError,
    entry: Entry,
    why: string,
  ): MinatoError {
    this.metrics.documents.inc({ result: 'failed' });
    const { id } = entry.doc;
    return new kind(`${id} not indexed: ${why}`, { id, attempts: entry.attempts });
  }

  /**
   * A timer that fires during an in-flight bulk cannot start the next one; its handle must not linger either,
   * or the `??=` re-arming would see it as still pending and leave the queue with no timer at all.
   */
  private onDeadline(): void {
    this.clearTimers();
    this.deadlinePassed = true;
    void this.startFlush();
  }

  private waitForProgress(): Promise<void> {
    if (this.flushing.size > 0) return Promise.race(this.flushing);
    // Only retries or a live bulk are pending: wake up when a retry is queued again (or rejected at close) or the
    // live bulk settles.
    return new Promise((resolve) => this.progressWaiters.push(resolve));
  }

  private notifyProgress(): void {
    for (const wake of this.progressWaiters.splice(0)) wake();
  }

  private releaseSpaceWaiters(): void {
    while (this.spaceWaiters.length > 0 && (this.closed || this.pending < this.options.maxPendingDocs)) {
      this.spaceWaiters.shift()?.();
    }
  }

  private clearTimers(): void {
    if (this.maxWaitTimer) clearTimeout(this.maxWaitTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.maxWaitTimer = null;
    this.idleTimer = null;
  }
}
