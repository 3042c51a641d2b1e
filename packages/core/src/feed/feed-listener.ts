import postgres from 'postgres';
import type { Logger } from 'pino';
import type { QueueSet } from '../queues/job-catalog.js';
import { enqueue, enqueueIdentifiedBulk } from '../queues/producers.js';
import { FeedAssembler, parseAnnouncement, type FeedWork } from './feed-announcements.js';
import type { FeedMetrics } from './feed-metrics.js';

export interface FeedListenerOptions {
  /** a direct connection (DATABASE_LISTEN_URL, else DATABASE_URL): LISTEN does not work through a transaction pooler */
  url: string;
  queues: QueueSet;
  /** reads what the listener may have missed, after every (re)connection; returns the torrents it sent */
  catchUp: () => Promise<number>;
  logger: Logger;
  metrics: FeedMetrics;
  /** milliseconds between attempts to listen again or to repeat a failed catch-up */
  retryMs?: number;
}

type Connection = postgres.Sql;

/**
 * Listens to the torrents feed (migration 0005, docs/feed.md) on a connection of its own and turns what it
 * hears into TORRENT_INGEST jobs. NOTIFY is fire-and-forget: whatever was announced while no connection
 * listened is gone, so every (re)connection first LISTENs, then catches up from PostgreSQL, and only then is
 * the stream all there is. A failed enqueue also falls back on a catch-up, so nothing the stream brought is
 * lost with Redis. No polling: while nothing is written, the listener only holds its connection.
 */
export class FeedListener {
  private connection: Connection | undefined;
  private closed = false;
  private readonly assembler = new FeedAssembler();
  private work: FeedWork = { live: [], bulk: [] };
  private flushing: Promise<void> | undefined;
  private catchingUp: Promise<void> | undefined;
  /** a catch-up was asked for while one ran: its read may already be past rows written since */
  private catchUpAgain = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly retryMs: number;

  constructor(private readonly options: FeedListenerOptions) {
    this.retryMs = options.retryMs ?? 1_000;
  }

  /** Connects and listens in the background, retrying until `close`. */
  start(): void {
    void this.listen();
  }

  /** Stops listening and waits for the jobs already heard to be sent. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.end({ timeout: 1 });
    await this.catchingUp;
    await this.flushing;
  }

  private async listen(): Promise<void> {
    const { logger, metrics } = this.options;
    while (!this.closed) {
      const connection: Connection = postgres(this.options.url, {
        max: 1,
        // 0: never closed for idleness or age (a reconnection would be a gap to catch up)
        idle_timeout: 0,
        max_lifetime: 0,
        fetch_types: false,
        connect_timeout: 10,
        onnotice: () => undefined,
        onclose: () => {
          if (this.connection === connection) this.lost(connection);
        },
        // postgres.js's own `listen` is built on this option, which its types leave out. Its `listen` is not
        // used: when PostgreSQL is still down at its first attempt to listen again, it gives up silently.
        ...({ onnotify: (_channel: string, payload: string) => this.heard(payload) } as object),
      });
      try {
        const [row] = await connection<{ channel: string }[]>`
          SELECT torrents_feed_channel(current_schema()) AS channel`;
        const channel = row!.channel;
        await connection.unsafe(`LISTEN "${channel.replace(/"/g, '""')}"`);
        if (this.closed) {
          await connection.end({ timeout: 1 });
          return;
        }
        this.connection = connection;
        this.assembler.reset();
        metrics.listening.set(1);
        logger.info({ channel }, 'feed listening; catching up before trusting the stream');
        this.catchUp();
        return;
      } catch (error) {
        logger.warn({ err: error, retryMs: this.retryMs }, 'feed could not listen; trying again');
        await connection.end({ timeout: 0 }).catch(() => undefined);
        await new Promise((resolve) => (this.retryTimer = setTimeout(resolve, this.retryMs)));
      }
    }
  }

  private lost(connection: Connection): void {
    this.connection = undefined;
    this.options.metrics.listening.set(0);
    this.options.logger.warn('feed connection lost; listening again, then catching up');
    void connection.end({ timeout: 0 }).catch(() => undefined);
    void this.listen();
  }

  /**
   * One catch-up at a time; one asked for meanwhile runs after it (the running one reads in info-hash order and
   * may be past rows written since); a failed one is repeated after `retryMs` until it completes.
   */
  private catchUp(): void {
    if (this.closed) return;
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return;
    }
    const { logger, metrics } = this.options;
    this.catchingUp = (async () => {
      const started = Date.now();
      try {
        const torrents = await this.options.catchUp();
        metrics.catchUps.inc();
        metrics.torrents.inc({ path: 'catch_up' }, torrents);
        logger.info({ torrents, ms: Date.now() - started }, 'feed caught up');
      } catch (error) {
        logger.warn({ err: error, retryMs: this.retryMs }, 'feed catch-up failed; trying again');
        this.retryTimer = setTimeout(() => this.catchUp(), this.retryMs);
      }
    })().finally(() => {
      this.catchingUp = undefined;
      if (this.catchUpAgain) {
        this.catchUpAgain = false;
        this.catchUp();
      }
    });
  }

  private heard(payload: string): void {
    this.options.metrics.notifications.inc();
    const announcement = parseAnnouncement(payload);
    if (!announcement) {
      this.options.logger.warn({ payload: payload.slice(0, 120) }, 'feed notification not understood');
      return;
    }
    this.assembler.add(announcement, this.work);
    this.startFlush();
  }

  private startFlush(): void {
    if (this.flushing || (this.work.live.length === 0 && this.work.bulk.length === 0)) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      this.startFlush();
    });
  }

  /** Sends what was heard, in batches: notifications arriving while a batch is sent join the next one. */
  private async flush(): Promise<void> {
    const { queues, metrics, logger } = this.options;
    while (this.work.live.length > 0 || this.work.bulk.length > 0) {
      const { live, bulk } = this.work;
      this.work = { live: [], bulk: [] };
      const bulkTorrents = bulk.reduce((n, job) => n + job.infoHashes.length, 0);
      try {
        if (live.length > 0) {
          await enqueue(
            queues,
            'TORRENT_INGEST',
            live.map((job) => ({ infoHash: job.infoHash })),
            live.map((job) => job.id),
          );
          metrics.torrents.inc({ path: 'live' }, live.length);
        }
        if (bulk.length > 0) {
          await enqueueIdentifiedBulk(queues, 'TORRENT_INGEST', bulk);
          metrics.torrents.inc({ path: 'bulk' }, bulkTorrents);
        }
      } catch (error) {
        // The rows are in PostgreSQL, not indexed: the catch-up reads them back once Redis answers again.
        logger.warn(
          { err: error, torrents: live.length + bulkTorrents },
          'feed could not enqueue; catching up',
        );
        this.catchUp();
      }
    }
  }
}

/** Where the listener connects: a direct connection when one is given, else the pooled one. */
export function feedListenUrl(config: { DATABASE_URL: string; DATABASE_LISTEN_URL?: string }): string {
  return config.DATABASE_LISTEN_URL ?? config.DATABASE_URL;
}
