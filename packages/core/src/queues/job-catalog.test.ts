import { describe, expect, it } from 'vitest';
import { InvalidPayloadError } from '../errors.js';
import {
  BULK_MAX_HASHES,
  bulkJobName,
  hashesOf,
  jobOptions,
  parsePayload,
  torrentsInJob,
} from './job-catalog.js';

const hash = (i: number) => i.toString(16).padStart(40, '0');

describe('job catalog', () => {
  it('accepts the live form and a bulk form of up to 1,000 hashes on every queue', () => {
    expect(parsePayload('TORRENT_INGEST', { data: { infoHash: hash(1) } })).toEqual({ infoHash: hash(1) });
    const bulk = { infoHashes: Array.from({ length: BULK_MAX_HASHES }, (_, i) => hash(i)) };
    expect(parsePayload('CLASSIFY', { data: bulk })).toEqual(bulk);
  });

  it('refuses a bulk job past 1,000 hashes, an empty one and one with a malformed hash', () => {
    const tooMany = { infoHashes: Array.from({ length: BULK_MAX_HASHES + 1 }, (_, i) => hash(i)) };
    expect(() => parsePayload('ES_SYNC', { data: tooMany })).toThrow(InvalidPayloadError);
    expect(() => parsePayload('ES_SYNC', { data: { infoHashes: [] } })).toThrow(InvalidPayloadError);
    expect(() => parsePayload('ES_SYNC', { data: { infoHashes: ['xyz'] } })).toThrow(/infoHashes/);
  });

  it('deduplicates live jobs by hash and gives bulk jobs a priority instead, so live ones go first', () => {
    expect(jobOptions('TORRENT_INGEST', { infoHash: hash(1) })).toMatchObject({
      deduplication: { id: hash(1) },
    });
    const bulk = jobOptions('TORRENT_INGEST', { infoHashes: [hash(1)] });
    expect(bulk.priority).toBeGreaterThan(0);
    expect(bulk.deduplication).toBeUndefined();
  });

  it('counts the torrents of a job from its name, and a bulk job once per distinct hash', () => {
    expect(torrentsInJob(bulkJobName('CLASSIFY', 734))).toBe(734);
    expect(torrentsInJob('CLASSIFY')).toBe(1);
    expect(hashesOf({ infoHashes: [hash(1), hash(2), hash(1)] })).toEqual([hash(1), hash(2)]);
  });
});
