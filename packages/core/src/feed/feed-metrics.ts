import { Counter, Gauge, type Registry } from 'prom-client';

/** What the feed's listener did: notifications in, torrents out by path, catch-up passes, its connection. */
export interface FeedMetrics {
  notifications: Counter;
  torrents: Counter<'path'>;
  catchUps: Counter;
  listening: Gauge;
}

/** Registers the feed's metrics on `registry`. */
export function createFeedMetrics(registry: Registry): FeedMetrics {
  return {
    notifications: new Counter({
      name: 'minato_feed_notifications_total',
      help: 'Notifications received from the torrents feed (each announces up to 100 rows)',
      registers: [registry],
    }),
    torrents: new Counter({
      name: 'minato_feed_torrents_enqueued_total',
      help: 'Torrents the feed sent to TORRENT_INGEST, by path: live, bulk or catch_up (a job another replica added is not added twice)',
      labelNames: ['path'],
      registers: [registry],
    }),
    catchUps: new Counter({
      name: 'minato_feed_catch_up_passes_total',
      help: 'Catch-up passes completed: rows not yet indexed, changed since the reconciler checkpoint, read on each (re)connection',
      registers: [registry],
    }),
    listening: new Gauge({
      name: 'minato_feed_listening',
      help: '1 while the feed listener holds its LISTEN connection, 0 while it reconnects',
      registers: [registry],
    }),
  };
}
