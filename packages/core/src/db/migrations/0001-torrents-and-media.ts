/**
 * The data model. `torrents.version` is the row version that Elasticsearch uses as its external version
 * (docs/guarantees.md, "No stale overwrite"): a trigger raises it on every change of content. `indexed_at`/`indexed_version`
 * are bookkeeping about the projection, so writing them must not raise the version, or every
 * acknowledgement would make the document stale again.
 */
export const sql = /* sql */ `
CREATE TABLE media (
  id             bigserial PRIMARY KEY,
  media_type     text NOT NULL CHECK (media_type IN ('movie', 'tv')),
  tmdb_id        integer NOT NULL,
  title          text NOT NULL,
  original_title text,
  year           integer,
  overview       text,
  poster_path    text,
  rating         real,
  vote_count     integer,
  imdb_id        text,
  fetched_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (media_type, tmdb_id)
);

-- One row per (type, normalized title, year) ever looked up on TMDB, shared by all replicas:
-- the 50th release of a film finds its answer here. A miss is kept too, with an earlier expiry.
CREATE TABLE tmdb_lookups (
  lookup_key  text PRIMARY KEY,
  media_id    bigint REFERENCES media (id),
  confidence  real,
  looked_up_at timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE TABLE torrents (
  info_hash         text PRIMARY KEY CHECK (info_hash ~ '^([0-9a-f]{40}|[0-9a-f]{64})$'),
  title             text NOT NULL CHECK (length(title) BETWEEN 1 AND 2000),
  size              bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  version           bigint NOT NULL DEFAULT 1,
  indexed_at        timestamptz,
  indexed_version   bigint,
  enrichment_status text CHECK (enrichment_status IN ('matched', 'no_match', 'skipped')),
  enriched_at       timestamptz,
  media_id          bigint REFERENCES media (id)
);

CREATE INDEX torrents_not_indexed ON torrents (info_hash) WHERE indexed_version IS NULL;
CREATE INDEX torrents_not_enriched ON torrents (info_hash) WHERE enriched_at IS NULL;
CREATE INDEX torrents_media ON torrents (media_id);

CREATE FUNCTION torrents_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.title, NEW.size, NEW.enrichment_status, NEW.enriched_at, NEW.media_id)
     IS DISTINCT FROM (OLD.title, OLD.size, OLD.enrichment_status, OLD.enriched_at, OLD.media_id) THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER torrents_bump_version BEFORE UPDATE ON torrents
  FOR EACH ROW EXECUTE FUNCTION torrents_bump_version();
`;
