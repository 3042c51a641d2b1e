/**
 * The feed (docs/feed.md): PostgreSQL announces rows that need pass 1, so a crawler that only writes rows needs
 * no queue client. Statement-level triggers with transition tables make a 100,000-row COPY one pass over its
 * rows, not 100,000 trigger calls. Each statement gets a number from a sequence and its info hashes go out on
 * the channel `torrents_feed_channel(schema)` (one a schema, so that deployments sharing a database in schemas of
 * their own do not feed one another) in chunks of 100, each payload `<statement>:<rows>:<chunk>:<hash>,<hash>,…`
 * (at most 6,500 bytes with 64-character hashes, under NOTIFY's 8,000-byte limit). Listeners turn a statement
 * and a chunk into the same job id, so several replicas listening add each job once.
 *
 * An UPDATE announces only rows that changed outside Minato's own bookkeeping (version, updated_at,
 * indexed_*, enrichment columns): pass 1 writing `indexed_at` or pass 2 saving a match must not come back as
 * new work. The comparison is of whole rows minus those columns, so a crawler's own added columns count.
 */
export const sql = /* sql */ `
CREATE SEQUENCE torrents_feed_statements;

-- NOTIFY refuses a channel of 64 bytes or more, which would fail the crawler's own INSERT.
CREATE FUNCTION torrents_feed_channel(schema text) RETURNS text LANGUAGE sql IMMUTABLE
  RETURN left('minato_feed:' || schema, 63);

CREATE FUNCTION torrents_feed_notify(schema text, hashes text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  statement_id bigint;
  payload text;
BEGIN
  IF coalesce(cardinality(hashes), 0) = 0 THEN RETURN; END IF;
  statement_id := nextval('torrents_feed_statements');
  FOR payload IN
    SELECT format('%s:%s:%s:%s', statement_id, cardinality(hashes), (n - 1) / 100, string_agg(h, ',' ORDER BY n))
    FROM unnest(hashes) WITH ORDINALITY AS u(h, n)
    GROUP BY (n - 1) / 100 ORDER BY (n - 1) / 100
  LOOP
    PERFORM pg_notify(torrents_feed_channel(schema), payload);
  END LOOP;
END $$;

CREATE FUNCTION torrents_feed_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM torrents_feed_notify(TG_TABLE_SCHEMA, (SELECT array_agg(info_hash) FROM feed_new));
  RETURN NULL;
END $$;

CREATE FUNCTION torrents_feed_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bookkeeping CONSTANT text[] := ARRAY['version', 'updated_at', 'indexed_at', 'indexed_version',
                                       'enrichment_status', 'enriched_at', 'media_id'];
BEGIN
  PERFORM torrents_feed_notify(TG_TABLE_SCHEMA, (
    SELECT array_agg(n.info_hash) FROM feed_new n
    WHERE NOT EXISTS (
      SELECT 1 FROM feed_old o
      WHERE o.info_hash = n.info_hash AND to_jsonb(o) - bookkeeping = to_jsonb(n) - bookkeeping)));
  RETURN NULL;
END $$;

CREATE TRIGGER torrents_feed_inserted AFTER INSERT ON torrents
  REFERENCING NEW TABLE AS feed_new FOR EACH STATEMENT EXECUTE FUNCTION torrents_feed_inserted();
CREATE TRIGGER torrents_feed_updated AFTER UPDATE ON torrents
  REFERENCING OLD TABLE AS feed_old NEW TABLE AS feed_new FOR EACH STATEMENT EXECUTE FUNCTION torrents_feed_updated();
`;
