import { createHash } from 'node:crypto';
import type { SearchEngine } from '@minato/core';
import { searchTorrents, type NewTorrent } from '@minato/core';
import entries from '../fixtures/search-relevance.json' with { type: 'json' };

/** What a labelled release is, as the query that should find it is written. */
export type QueryKind = 'film' | 'episode' | 'pack' | 'anime';

/**
 * One release name of the relevance corpus: the video ones labelled with what a user would type to find
 * them; `kind: null` marks the rest (music, software...), which are only there to be not found.
 */
export interface RelevanceEntry {
  name: string;
  kind: QueryKind | null;
  title?: string;
  year?: number | null;
  season?: number | null;
  episode?: number | null;
  /** what a user types, when it is not the usual form for the kind */
  query?: string;
}

export const relevanceCorpus = entries as RelevanceEntry[];

/** The corpus as torrent rows, each with a stable info hash. */
export function relevanceTorrents(): NewTorrent[] {
  return relevanceCorpus.map((entry, i) => ({
    infoHash: createHash('sha1').update(`${i}:${entry.name}`).digest('hex'),
    title: entry.name,
    size: 1_000_000,
  }));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** What a user would type: `title year`, `title s03e02`, `title season 4`, `title 12`. */
export function typedQuery(entry: RelevanceEntry): string | null {
  if (entry.query) return entry.query;
  const { kind, title, year, season, episode } = entry;
  if (!kind || !title) return null;
  switch (kind) {
    case 'film':
      return year ? `${title} ${year}` : title;
    case 'episode':
      return season != null && episode != null ? `${title} s${pad(season)}e${pad(episode)}` : null;
    case 'pack':
      return season != null ? `${title} season ${season}` : `${title} complete`;
    case 'anime':
      return episode != null ? `${title} ${episode}` : null;
  }
}

/** A distinct query, the kind it was written for, and the releases it should find. */
export interface LabelledQuery {
  text: string;
  kind: QueryKind;
  targets: string[];
}

/** One query per distinct text: releases that share a label (three encodes of one film) share it. */
export function labelledQueries(torrents: NewTorrent[] = relevanceTorrents()): LabelledQuery[] {
  const byText = new Map<string, LabelledQuery>();
  relevanceCorpus.forEach((entry, i) => {
    const text = typedQuery(entry);
    if (text === null || !entry.kind) return;
    const query = byText.get(text) ?? { text, kind: entry.kind, targets: [] };
    query.targets.push(torrents[i]!.infoHash);
    byText.set(text, query);
  });
  return [...byText.values()];
}

export interface RelevanceRow {
  kind: QueryKind | 'all';
  queries: number;
  /** a wanted release among the first 10 releases of `minato search --json` (works in rank order) */
  recallAt10: number;
  /** every labelled release counted on its own: found among the first 10 releases shown for its query */
  releaseRecallAt10: number;
  /** the first work shown is the work of a wanted release */
  topWorkRight: number;
}

export interface RelevanceReport {
  rows: RelevanceRow[];
  misses: string[];
}

/** Runs every labelled query through `searchTorrents` and scores the answers. */
export async function scoreRelevance(
  client: SearchEngine,
  index: string,
  queries: LabelledQuery[],
): Promise<RelevanceReport> {
  const workOf = await workKeys(
    client,
    index,
    queries.flatMap((q) => q.targets),
  );
  const outcomes: { kind: QueryKind; found: boolean; topRight: boolean; releases: number; shown: number }[] =
    [];
  const misses: string[] = [];
  for (const query of queries) {
    const { works } = await searchTorrents(client, index, query.text, 10, { releasesPerWork: 10 });
    const shown = works.flatMap((w) => w.releases).slice(0, 10);
    const found = shown.some((hit) => query.targets.includes(hit.infoHash));
    const wanted = new Set(query.targets.map((t) => workOf.get(t)));
    const topRight = works[0] !== undefined && wanted.has(works[0].work);
    const shownTargets = query.targets.filter((t) => shown.some((hit) => hit.infoHash === t)).length;
    outcomes.push({ kind: query.kind, found, topRight, releases: query.targets.length, shown: shownTargets });
    if (!found || !topRight) {
      const first = works[0]?.releases[0]?.titleRaw ?? '(nothing)';
      misses.push(`${found ? 'top' : 'miss'}: "${query.text}" -> first: ${first}`);
    }
  }
  const row = (kind: RelevanceRow['kind']): RelevanceRow => {
    const of = outcomes.filter((o) => kind === 'all' || o.kind === kind);
    const share = (f: (o: (typeof of)[number]) => boolean) => of.filter(f).length / Math.max(1, of.length);
    const releases = of.reduce((n, o) => n + o.releases, 0);
    return {
      kind,
      queries: of.length,
      recallAt10: share((o) => o.found),
      releaseRecallAt10: of.reduce((n, o) => n + o.shown, 0) / Math.max(1, releases),
      topWorkRight: share((o) => o.topRight),
    };
  };
  return { rows: (['all', 'film', 'episode', 'pack', 'anime'] as const).map(row), misses };
}

async function workKeys(client: SearchEngine, index: string, hashes: string[]): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (let i = 0; i < hashes.length; i += 1_000) {
    const docs = await client.documents<{ work_key: string }>(index, hashes.slice(i, i + 1_000));
    for (const [id, doc] of docs) keys.set(id, doc.work_key);
  }
  return keys;
}
