import type { TorrentDocument } from '@minato/core';
import type { Harness } from './pipeline-harness.js';

interface PgRow {
  info_hash: string;
  title: string;
  /** the external version: the row's under the search epoch */
  version: number;
  enriched_at: Date | null;
  enrichment_status: string | null;
  tmdb_id: number | null;
  media_type: string | null;
  media_title: string | null;
}

/** The document fields the audit compares with PostgreSQL. */
type DocFields = Pick<
  TorrentDocument,
  'title_raw' | 'version' | 'enriched' | 'enriched_at' | 'tmdb_id' | 'media_type' | 'media_title'
>;
const docFields: (keyof DocFields)[] = [
  'title_raw',
  'version',
  'enriched',
  'enriched_at',
  'tmdb_id',
  'media_type',
  'media_title',
];

/**
 * Compares every row of the harness's table with its document: the document exists at the row's (external) version
 * (Elasticsearch's external `_version` and the field), with the row's title, and carries exactly PostgreSQL's
 * enrichment. Returns one line per mismatch: none means PostgreSQL and Elasticsearch agree.
 */
export async function compareRows(h: Harness): Promise<{ rows: number; mismatches: string[] }> {
  const index = h.config.ELASTICSEARCH_INDEX;
  await h.search.refresh(index);
  const mismatches: string[] = [];
  let after = '';
  let rows = 0;
  for (;;) {
    const page = await h.sql<PgRow[]>`
      SELECT t.info_hash, t.title, minato_external_version(t.version) AS version, t.enriched_at, t.enrichment_status,
             m.tmdb_id, m.media_type, m.title AS media_title
      FROM torrents t LEFT JOIN media m ON m.id = t.media_id
      WHERE t.info_hash > ${after} ORDER BY t.info_hash LIMIT 1000`;
    if (page.length === 0) return { rows, mismatches };
    after = page.at(-1)!.info_hash;
    rows += page.length;
    const docs = await h.rest.mget<DocFields>(
      index,
      page.map((r) => r.info_hash),
      docFields,
    );
    page.forEach((row, i) => {
      const doc = docs[i];
      if (!doc?.found || !doc._source) {
        mismatches.push(`${row.info_hash}: missing from Elasticsearch`);
        return;
      }
      const differences = differ(row, doc._version ?? 0, doc._source);
      if (differences.length > 0) mismatches.push(`${row.info_hash}: ${differences.join(', ')}`);
    });
  }
}

function differ(row: PgRow, esVersion: number, doc: DocFields): string[] {
  const matched = row.enrichment_status === 'matched';
  const expected: Record<string, unknown> = {
    title_raw: row.title,
    _version: Number(row.version),
    version: Number(row.version),
    // The document carries enrichment only for a match (buildTorrentDocument); a miss reads as not enriched.
    enriched: matched,
    enriched_at: matched ? (row.enriched_at?.getTime() ?? null) : null,
    tmdb_id: matched ? row.tmdb_id : null,
    media_type: matched ? row.media_type : null,
    media_title: matched ? row.media_title : null,
  };
  const actual: Record<string, unknown> = {
    ...doc,
    _version: esVersion,
    enriched_at: doc.enriched_at === null ? null : Date.parse(doc.enriched_at),
  };
  return Object.entries(expected)
    .filter(([field, value]) => actual[field] !== value)
    .map(
      ([field, value]) =>
        `${field} ${JSON.stringify(actual[field])} in ES, ${JSON.stringify(value)} in PostgreSQL`,
    );
}
