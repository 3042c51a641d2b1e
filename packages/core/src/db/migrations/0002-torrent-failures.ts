/**
 * Torrents a pass gave up on for good (bad input: the row is gone, Elasticsearch rejected the document). A bulk
 * job records them here and completes its other torrents, so the reason outlives BullMQ's failed-job retention
 * and `minato status` can show it. One row per torrent and queue: the latest reason wins.
 */
export const sql = /* sql */ `
CREATE TABLE torrent_failures (
  info_hash text NOT NULL,
  queue     text NOT NULL,
  reason    text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (info_hash, queue)
);

CREATE INDEX torrent_failures_recent ON torrent_failures (failed_at DESC);
`;
