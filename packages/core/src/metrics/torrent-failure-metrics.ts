import { Counter, type Registry } from 'prom-client';

/** `minato_torrent_failures_total{queue}`: torrents a pass gave up on for good (recorded in `torrent_failures`). */
export function createTorrentFailureCounter(registry: Registry): Counter<'queue'> {
  return new Counter({
    name: 'minato_torrent_failures_total',
    help: 'Torrents that failed permanently (bad input), by queue; the reasons are in PostgreSQL, see minato status',
    labelNames: ['queue'],
    registers: [registry],
  });
}
