/**
 * The index follows PostgreSQL in every direction (docs/guarantees.md, "Deleted means gone"):
 * - `torrent_deletions` is the record of deleted rows, kept by a trigger so that a DELETE from anywhere (the
 *   crawler, psql, `minato delete`) is seen: hash, last version, when, why. The sync worker applies its pending
 *   entries to Elasticsearch in bulk and marks them done; done entries are pruned later. A notification feed
 *   can announce deletions with a trigger on this table (its inserts are exactly the deletions).
 * - A row inserted again under a deleted hash starts above the deletion's version: the deletion's tombstone in
 *   Elasticsearch must not make the new row's first write look superseded.
 * - `enriched_title` is the title pass 2 matched from, so a rename can be told apart from a re-encode: filled by
 *   the save, or by the version trigger from the old title for rows enriched before this column existed.
 * - `search_epoch` is folded into every external version (`minato_external_version`): raising it after a
 *   restore from backup (`minato restore-done`) puts every row's next write above anything Elasticsearch holds.
 */
export const sql = /* sql */ `
CREATE TABLE search_epoch (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  epoch      integer NOT NULL DEFAULT 0 CHECK (epoch >= 0),
  raised_at  timestamptz
);
INSERT INTO search_epoch DEFAULT VALUES;

-- Row versions stay far below 10^12; 9,000 epochs keep the product below 2^53 (exact in JavaScript).
CREATE FUNCTION minato_external_version(row_version bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT row_version + epoch * 1000000000000 FROM search_epoch
$$;

CREATE TABLE torrent_deletions (
  info_hash     text PRIMARY KEY,
  -- the row's version when it was deleted: the document is deleted at the external version of this plus one
  last_version  bigint NOT NULL,
  reason        text NOT NULL,
  deleted_at    timestamptz NOT NULL DEFAULT now(),
  -- Elasticsearch acknowledged the deletion
  done_at       timestamptz
);
CREATE INDEX torrent_deletions_pending ON torrent_deletions (deleted_at) WHERE done_at IS NULL;
CREATE INDEX torrent_deletions_done ON torrent_deletions (done_at) WHERE done_at IS NOT NULL;

-- Statement-level, with the deleted rows as a transition table: a takedown list of 10,000 hashes is one INSERT.
-- The reason is the transaction's setting minato.deletion_reason (set by minato delete), else 'deleted'.
CREATE FUNCTION torrents_record_deletions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO torrent_deletions (info_hash, last_version, reason)
  SELECT info_hash, version, COALESCE(NULLIF(current_setting('minato.deletion_reason', true), ''), 'deleted')
  FROM gone
  ON CONFLICT (info_hash) DO UPDATE SET last_version = GREATEST(torrent_deletions.last_version, EXCLUDED.last_version),
    reason = EXCLUDED.reason, deleted_at = now(), done_at = NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER torrents_record_deletions AFTER DELETE ON torrents
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION torrents_record_deletions();

CREATE FUNCTION torrents_continue_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  deleted_version bigint;
BEGIN
  DELETE FROM torrent_deletions WHERE info_hash = NEW.info_hash RETURNING last_version INTO deleted_version;
  IF FOUND THEN
    -- the deletion was written (or will be, if still pending: then this row's write supersedes it) at +1
    NEW.version := GREATEST(NEW.version, deleted_version + 2);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER torrents_continue_version BEFORE INSERT ON torrents
  FOR EACH ROW EXECUTE FUNCTION torrents_continue_version();

ALTER TABLE torrents ADD COLUMN enriched_title text;

CREATE OR REPLACE FUNCTION torrents_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.title, NEW.size, NEW.enrichment_status, NEW.enriched_at, NEW.media_id)
     IS DISTINCT FROM (OLD.title, OLD.size, OLD.enrichment_status, OLD.enriched_at, OLD.media_id) THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  END IF;
  -- A row enriched before enriched_title existed was matched from the title it had until now.
  IF NEW.title IS DISTINCT FROM OLD.title AND NEW.enriched_at IS NOT NULL AND NEW.enriched_title IS NULL THEN
    NEW.enriched_title := OLD.title;
  END IF;
  RETURN NEW;
END $$;
`;
