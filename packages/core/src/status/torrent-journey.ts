import type { Job, Queue } from 'bullmq';
import type { FailureRepository, TorrentFailure } from '../db/failure-repository.js';
import type { TorrentRecord, TorrentRepository } from '../db/torrent-repository.js';
import { hashesOf, QUEUES, type QueueName } from '../queues/job-catalog.js';
import { normalizeTitle, parseRelease, type ParsedRelease } from '../releases/index.js';
import type { SearchEngine } from '../search/engines/search-engine.js';
import { buildTorrentDocument, type TorrentDocument } from '../search/indexing/torrent-document.js';
import { matchConfidence } from '../tmdb/match-scoring.js';

/** A field on which the search document differs from what the row projects to today. */
export interface DocumentDifference {
  field: string;
  /** what the row projects to */
  expected: unknown;
  /** what the index holds */
  indexed: unknown;
}

/** A job, still kept by BullMQ, that carries the torrent (alone or in a bulk job). */
export interface JourneyJob {
  queue: QueueName;
  id: string;
  name: string;
  /** the torrents the job carries */
  torrents: number;
  state: string;
  attemptsMade: number;
  failedReason: string | null;
  /** epoch milliseconds */
  addedAt: number;
  finishedAt: number | null;
}

/** Everything the pipeline knows about one torrent, pass by pass. */
export interface TorrentJourney {
  infoHash: string;
  /** null when PostgreSQL has no such row */
  row: TorrentRecord | null;
  parse: ParsedRelease | null;
  /** the document as the index holds it, with the version it was written with; null when absent */
  document: { version: number | null; source: Partial<TorrentDocument> } | null;
  differences: DocumentDifference[];
  /** the confidence the matcher gives the saved TMDB match today, null without a match */
  confidence: number | null;
  failures: TorrentFailure[];
  jobs: JourneyJob[];
}

export interface TorrentJourneySources {
  repository: TorrentRepository;
  failures: FailureRepository;
  search: SearchEngine;
  index: string;
  queues: Record<QueueName, Queue>;
  /** jobs read per queue and state when looking for the torrent's (default 200): a bounded look, not a scan */
  jobsPerState?: number;
}

const JOB_STATES = ['active', 'waiting', 'prioritized', 'delayed', 'failed', 'completed'] as const;

/** Follows one torrent through the three passes: row, parse, match, search document, failures and jobs. */
export async function torrentJourney(
  infoHash: string,
  sources: TorrentJourneySources,
): Promise<TorrentJourney> {
  const [[row], document, failures, jobs] = await Promise.all([
    sources.repository.findMany([infoHash]),
    indexedDocument(sources.search, sources.index, infoHash),
    sources.failures.forTorrent(infoHash),
    jobsCarrying(infoHash, sources.queues, sources.jobsPerState ?? 200),
  ]);
  if (!row)
    return { infoHash, row: null, parse: null, document, differences: [], confidence: null, failures, jobs };
  const parse = parseRelease(row.title);
  const expected = buildTorrentDocument(row, parse, normalizeTitle(row.title));
  const media = row.enrichmentStatus === 'matched' ? row.media : null;
  const confidence =
    media && parse.title
      ? matchConfidence(
          { type: media.mediaType, title: parse.title, year: parse.year },
          { title: media.title, originalTitle: media.originalTitle ?? media.title, year: media.year },
        )
      : null;
  return {
    infoHash,
    row,
    parse,
    document,
    differences: document ? differences(expected, document.source) : [],
    confidence,
    failures,
    jobs,
  };
}

async function indexedDocument(
  search: SearchEngine,
  index: string,
  id: string,
): Promise<TorrentJourney['document']> {
  // No index yet (no worker started): no document either.
  if (!(await search.indexExists(index))) return null;
  const [[stored], sources] = await Promise.all([
    search.storedVersions(index, [id]),
    search.documents<Partial<TorrentDocument>>(index, [id]),
  ]);
  const source = sources.get(id);
  if (!source) return null;
  return { version: stored && 'version' in stored ? stored.version : null, source };
}

function differences(expected: TorrentDocument, indexed: Partial<TorrentDocument>): DocumentDifference[] {
  return (Object.entries(expected) as [string, unknown][])
    .filter(
      ([field, value]) => JSON.stringify(value) !== JSON.stringify(indexed[field as keyof TorrentDocument]),
    )
    .map(([field, value]) => ({
      field,
      expected: value,
      indexed: indexed[field as keyof TorrentDocument] ?? null,
    }));
}

async function jobsCarrying(
  infoHash: string,
  queues: Record<QueueName, Queue>,
  perState: number,
): Promise<JourneyJob[]> {
  const found = await Promise.all(
    Object.values(QUEUES).map(async (name) => {
      const queue = queues[name];
      const jobs = await Promise.all(JOB_STATES.map((state) => queue.getJobs([state], 0, perState - 1)));
      return jobs
        .flatMap((list, i) => list.map((job) => ({ job, state: JOB_STATES[i] ?? 'unknown' })))
        .filter(({ job }) => carries(job, infoHash))
        .map(({ job, state }) => toJourneyJob(name, job, state));
    }),
  );
  return found.flat().sort((a, b) => b.addedAt - a.addedAt);
}

function carries(job: Job | undefined, infoHash: string): job is Job {
  if (!job) return false;
  try {
    return hashesOf(job.data as Parameters<typeof hashesOf>[0]).includes(infoHash);
  } catch {
    return false;
  }
}

function toJourneyJob(queue: QueueName, job: Job, state: string): JourneyJob {
  return {
    queue,
    id: job.id ?? '',
    name: job.name,
    torrents: hashesOf(job.data as Parameters<typeof hashesOf>[0]).length,
    state,
    attemptsMade: job.attemptsMade,
    failedReason: job.failedReason || null,
    addedAt: job.timestamp,
    finishedAt: job.finishedOn ?? null,
  };
}
