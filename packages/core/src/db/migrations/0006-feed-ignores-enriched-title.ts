/**
 * The feed (0005) announces a row changed outside Minato's own bookkeeping; `enriched_title` (0004, the title
 * pass 2 matched from) is bookkeeping too: pass 2 saving a match, or a rename clearing one, must not come back as
 * new work for pass 1. The function is 0005's with that one column added to the list.
 */
export const sql = /* sql */ `
CREATE OR REPLACE FUNCTION torrents_feed_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bookkeeping CONSTANT text[] := ARRAY['version', 'updated_at', 'indexed_at', 'indexed_version',
                                       'enrichment_status', 'enriched_at', 'media_id', 'enriched_title'];
BEGIN
  PERFORM torrents_feed_notify(TG_TABLE_SCHEMA, (
    SELECT array_agg(n.info_hash) FROM feed_new n
    WHERE NOT EXISTS (
      SELECT 1 FROM feed_old o
      WHERE o.info_hash = n.info_hash AND to_jsonb(o) - bookkeeping = to_jsonb(n) - bookkeeping)));
  RETURN NULL;
END $$;
`;
