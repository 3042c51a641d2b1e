/**
 * What lets the periodic reconciler cost what changed rather than the table (README, Reconciler): its
 * checkpoint lives in PostgreSQL, so a Redis wipe cannot reset it, and two indexes serve its two reads,
 * rows changed since the checkpoint and rows whose projection is behind their version.
 */
export const sql = /* sql */ `
CREATE TABLE reconcile_checkpoints (
  alias          text PRIMARY KEY,
  -- rows changed at or after this instant are read by the next pass
  changed_since  timestamptz NOT NULL,
  -- the last full comparison of every row against Elasticsearch
  full_pass_at   timestamptz,
  updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX torrents_updated_at ON torrents (updated_at);
CREATE INDEX torrents_stale ON torrents (info_hash) WHERE indexed_version IS DISTINCT FROM version;
`;
