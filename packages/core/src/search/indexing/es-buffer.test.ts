import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DocumentNotIndexedError,
  DocumentRejectedError,
  SearchAuthError,
  SearchReadOnlyError,
  SearchUnavailableError,
} from '../../errors.js';
import { createLogger } from '../../logging/index.js';
import type { BulkAnswer, VersionedDocument } from '../engines/search-engine.js';
import { engineFailure } from '../engines/search-failures.js';
import { ElasticsearchBuffer, type ElasticsearchBufferOptions, type WriteOutcome } from './es-buffer.js';

/** An item answer: a status alone, or a status with the error Elasticsearch gives for it. */
type ItemAnswer = number | { status: number; type: string; reason: string };

/** One `_bulk` call as the buffer made it; the test decides when and how it is answered. */
interface BulkCall {
  index: string;
  documents: readonly VersionedDocument[];
  ids: string[];
  /** fake-clock time the request was made */
  at: number;
  /** answers each item in order; with no argument every item is 201 */
  answer(items?: ItemAnswer[]): Promise<void>;
  /** the request itself fails (a connection error), as the client throws it */
  fail(error: Error): Promise<void>;
}

/**
 * A stand-in for the search engine with only `bulkIndex`: each call waits until the test answers it, so
 * the test holds a bulk "in flight" for as long as it needs.
 */
class ScriptedElasticsearch {
  readonly calls: BulkCall[] = [];
  /** calls not answered yet */
  outstanding = 0;

  bulkIndex(index: string, documents: readonly VersionedDocument[]): Promise<BulkAnswer> {
    return new Promise((resolve, reject) => {
      const ids = documents.map((doc) => doc.id);
      this.outstanding++;
      const settle = async (deliver: () => void): Promise<void> => {
        this.outstanding--;
        deliver();
        // Let the buffer handle the answer (settle documents, start the next bulk) before the test looks.
        await vi.advanceTimersByTimeAsync(0);
      };
      this.calls.push({
        index,
        documents,
        ids,
        at: Date.now(),
        answer: (items = ids.map(() => 201)) =>
          settle(() =>
            resolve({
              took: 1,
              items: items.map((item) =>
                typeof item === 'number'
                  ? { status: item }
                  : { status: item.status, error: { type: item.type, reason: item.reason } },
              ),
            }),
          ),
        fail: (error) => settle(() => reject(error)),
      });
    });
  }

  /** The last call made; fails the test if there was none. */
  get last(): BulkCall {
    const call = this.calls.at(-1);
    if (!call) throw new Error('no bulk request was made');
    return call;
  }
}

/** A promise's state, readable without awaiting it (so a test can assert that it is still pending). */
function watch<T>(promise: Promise<T>) {
  const state: { status: 'pending' | 'fulfilled' | 'rejected'; value?: T; error?: unknown } = {
    status: 'pending',
  };
  promise.then(
    (value) => Object.assign(state, { status: 'fulfilled', value }),
    (error: unknown) => Object.assign(state, { status: 'rejected', error }),
  );
  return state;
}

const logger = createLogger({ level: 'silent', format: 'json' });
const doc = (id: string, version = 1) => ({ id, version, body: { title: `title of ${id}` } });

function setup(overrides: Partial<ElasticsearchBufferOptions> = {}) {
  const es = new ScriptedElasticsearch();
  const registry = new Registry();
  const buffer = new ElasticsearchBuffer({
    client: es,
    index: 'torrents-test',
    maxDocs: 3,
    maxWaitMs: 1_000,
    idleMs: 100,
    maxPendingDocs: 6,
    maxAttempts: 3,
    baseBackoffMs: 50,
    maxBackoffMs: 1_000,
    // One bulk in flight unless a test says otherwise: most tests hold "the" bulk in flight to look at what waits.
    maxBulksInFlight: 1,
    logger,
    registry,
    ...overrides,
  });
  const add = (id: string) => watch(buffer.add(doc(id)));
  const addLive = (id: string) => watch(buffer.add(doc(id), 'live'));
  return { es, registry, buffer, add, addLive };
}

async function documentsCounted(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('minato_es_documents_total')?.get();
  const counted = (metric?.values ?? []).filter((v) => v.value > 0);
  return Object.fromEntries(counted.map((v) => [String(v.labels.result), v.value]));
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('ElasticsearchBuffer flush triggers', () => {
  it('sends a bulk as soon as maxDocs documents are queued, each with its external version', async () => {
    const { es, add } = setup({ maxDocs: 3 });
    const outcomes = ['a', 'b', 'c', 'd'].map(add);
    expect(es.calls).toHaveLength(1);
    expect(es.last.ids).toEqual(['a', 'b', 'c']);
    expect(es.last.index).toBe('torrents-test');
    expect(es.last.documents[0]).toEqual({ id: 'a', version: 1, body: { title: 'title of a' } });
    await es.last.answer();
    expect(outcomes.map((o) => o.value)).toEqual(['indexed', 'indexed', 'indexed', undefined]);
  });

  it('starts a flush idleMs after the last add, not after the first', async () => {
    const { es, add } = setup({ idleMs: 100, maxWaitMs: 1_000 });
    add('a');
    await vi.advanceTimersByTimeAsync(60);
    add('b');
    await vi.advanceTimersByTimeAsync(99);
    expect(es.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(es.calls.map((c) => c.ids)).toEqual([['a', 'b']]);
  });

  it('starts a flush maxWaitMs after the first queued document even while steady adds keep it from idling', async () => {
    const { es, add } = setup({ maxDocs: 100, maxPendingDocs: 200, idleMs: 100, maxWaitMs: 1_000 });
    for (let i = 0; i < 20; i++) {
      add(`d${i}`);
      await vi.advanceTimersByTimeAsync(50);
    }
    // The twentieth add came at 950 ms; the first document has waited its 1000 ms at 1000 ms.
    expect(es.calls).toHaveLength(1);
    expect(es.last.ids).toHaveLength(20);
  });

  it('sends documents whose idle and maxWait deadlines passed during an in-flight bulk as soon as it completes', async () => {
    const { es, add } = setup({ maxDocs: 10, idleMs: 100, maxWaitMs: 1_000 });
    add('a');
    await vi.advanceTimersByTimeAsync(100);
    const first = es.last;
    const late = add('b');
    // Elasticsearch takes longer than both of b's deadlines to answer the first bulk.
    await vi.advanceTimersByTimeAsync(1_500);
    expect(es.calls).toHaveLength(1);
    await first.answer();
    expect(es.calls).toHaveLength(2);
    expect(es.last.ids).toEqual(['b']);
    await es.last.answer();
    expect(late.value).toBe('indexed');
  });

  it('sends a document whose idle deadline passed during an in-flight bulk when that bulk completes, not at maxWait', async () => {
    const { es, add } = setup({ maxDocs: 10, idleMs: 100, maxWaitMs: 1_000 });
    add('a');
    await vi.advanceTimersByTimeAsync(100);
    const first = es.last;
    add('b');
    await vi.advanceTimersByTimeAsync(200);
    await first.answer();
    expect(es.calls.map((c) => c.ids)).toEqual([['a'], ['b']]);
  });

  it('keeps one bulk in flight at a time and lets the next batch fill meanwhile', async () => {
    const { es, add } = setup({ maxDocs: 2, maxPendingDocs: 10 });
    ['a', 'b', 'c', 'd', 'e'].forEach(add);
    expect(es.calls).toHaveLength(1);
    await es.last.answer();
    expect(es.calls.map((c) => c.ids)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('sends a full batch beside the bulks in flight up to maxBulksInFlight, and holds a partial batch until none is in flight', async () => {
    const { es, add } = setup({ maxDocs: 2, maxPendingDocs: 10, maxBulksInFlight: 2 });
    ['a', 'b', 'c', 'd', 'e', 'f', 'g'].forEach(add);
    expect(es.calls.map((c) => c.ids)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    await es.calls[0]!.answer();
    expect(es.calls.map((c) => c.ids).slice(2)).toEqual([['e', 'f']]);
    await es.calls[1]!.answer();
    // 'g' alone is a partial batch: past its deadline it still waits for the bulk in flight.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(es.calls).toHaveLength(3);
    await es.calls[2]!.answer();
    expect(es.calls.map((c) => c.ids).slice(3)).toEqual([['g']]);
  });
});

describe('ElasticsearchBuffer back-pressure', () => {
  it('never holds more than maxPendingDocs documents while Elasticsearch is slow, and admits waiting adds as bulks complete', async () => {
    const { es, buffer, add } = setup({ maxDocs: 2, maxPendingDocs: 4 });
    const outcomes = Array.from({ length: 12 }, (_, i) => add(`d${i}`));
    await vi.advanceTimersByTimeAsync(0);
    // Two in flight, two queued; the other eight adds wait without queueing their document.
    expect(buffer.pending).toBe(4);
    expect(es.calls).toHaveLength(1);
    while (outcomes.some((o) => o.status === 'pending')) {
      expect(buffer.pending).toBeLessThanOrEqual(4);
      expect(es.outstanding).toBe(1);
      await es.last.answer();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(es.calls.map((c) => c.ids.length)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(outcomes.every((o) => o.value === 'indexed')).toBe(true);
    expect(buffer.pending).toBe(0);
  });

  it('keeps an add waiting until a flush completes, then queues its document', async () => {
    const { es, buffer, add } = setup({ maxDocs: 2, maxPendingDocs: 2 });
    add('a');
    add('b');
    const waiting = add('c');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(buffer.pending).toBe(2);
    expect(waiting.status).toBe('pending');
    await es.last.answer();
    expect(buffer.pending).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(es.last.ids).toEqual(['c']);
  });
});

describe('ElasticsearchBuffer live lane', () => {
  it('sends a live document at once in a bulk of its own beside the one in flight, ahead of the queued bulk documents', async () => {
    const { es, add, addLive } = setup({ maxDocs: 3, maxPendingDocs: 20 });
    const bulk = Array.from({ length: 9 }, (_, i) => add(`b${i}`));
    const inFlight = es.last;
    expect(inFlight.ids).toEqual(['b0', 'b1', 'b2']);
    const live = addLive('live');
    expect(es.calls.map((c) => c.ids)).toEqual([['b0', 'b1', 'b2'], ['live']]);
    await es.last.answer();
    expect(live.value).toBe('indexed');
    expect(bulk.slice(0, 3).map((o) => o.status)).toEqual(['pending', 'pending', 'pending']);
    await inFlight.answer();
    expect(es.last.ids).toEqual(['b3', 'b4', 'b5']);
  });

  it('puts queued live documents first in the next bulk when none is in flight', async () => {
    const { es, add, addLive } = setup({ maxDocs: 10, idleMs: 100 });
    ['b0', 'b1'].forEach(add);
    addLive('live');
    await vi.advanceTimersByTimeAsync(100);
    expect(es.calls.map((c) => c.ids)).toEqual([['live', 'b0', 'b1']]);
  });

  it('keeps one live bulk in flight at a time, and lets the next live batch fill meanwhile', async () => {
    const { es, add, addLive } = setup({ maxDocs: 3, maxPendingDocs: 20 });
    ['b0', 'b1', 'b2'].forEach(add);
    addLive('l0');
    await vi.advanceTimersByTimeAsync(100);
    expect(es.last.ids).toEqual(['l0']);
    addLive('l1');
    addLive('l2');
    await vi.advanceTimersByTimeAsync(100);
    expect(es.calls).toHaveLength(2);
    await es.last.answer();
    expect(es.last.ids).toEqual(['l1', 'l2']);
    expect(es.outstanding).toBe(2);
  });

  it('queues a live document at once while bulk adds wait on back-pressure, and sends it before them', async () => {
    const { es, buffer, add, addLive } = setup({ maxDocs: 2, maxPendingDocs: 4 });
    ['b0', 'b1', 'b2', 'b3'].forEach(add);
    const waitingBulk = add('b4');
    await vi.advanceTimersByTimeAsync(0);
    expect(buffer.pending).toBe(4);
    const live = addLive('live');
    await vi.advanceTimersByTimeAsync(0);
    // Bulk documents filled the buffer; the live one is queued beyond the limit instead of waiting for space.
    expect(buffer.pending).toBe(5);
    expect(waitingBulk.status).toBe('pending');
    expect(es.last.ids).toEqual(['live']);
    await es.last.answer();
    expect(live.value).toBe('indexed');
    expect(waitingBulk.status).toBe('pending');
    // The bulk documents keep their order behind it.
    await es.calls[0]!.answer();
    expect(es.last.ids).toEqual(['b2', 'b3']);
    await es.last.answer();
    await vi.advanceTimersByTimeAsync(100);
    expect(es.last.ids).toEqual(['b4']);
  });

  it('starts a flush idleMs after a live add even while bulk adds keep coming', async () => {
    const { es, add, addLive } = setup({ maxDocs: 100, maxPendingDocs: 200, idleMs: 100, maxWaitMs: 1_000 });
    add('b0');
    const live = addLive('live');
    for (let i = 1; i <= 2; i++) {
      await vi.advanceTimersByTimeAsync(40);
      add(`b${i}`);
    }
    // Bulk adds alone would have pushed the idle deadline to 180 ms; the live document's holds at 100 ms.
    await vi.advanceTimersByTimeAsync(19);
    expect(es.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(es.last.ids).toEqual(['live', 'b0', 'b1', 'b2']);
    await es.last.answer();
    expect(live.value).toBe('indexed');
  });

  it('starts a flush idleMs after the first queued live document even while live adds come closer together than idleMs', async () => {
    const { es, addLive } = setup({ maxDocs: 100, maxPendingDocs: 200, idleMs: 100, maxWaitMs: 1_000 });
    const first = addLive('l0');
    for (let i = 1; i <= 4; i++) {
      await vi.advanceTimersByTimeAsync(20);
      addLive(`l${i}`);
    }
    // Each add reset to 100 ms after it would have held l0 until 180 ms; its own deadline holds at 100 ms.
    await vi.advanceTimersByTimeAsync(19);
    expect(es.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(es.last.ids).toEqual(['l0', 'l1', 'l2', 'l3', 'l4']);
    await es.last.answer();
    expect(first.value).toBe('indexed');
  });

  it('retries a live document in the live lane, ahead of bulk documents queued meanwhile', async () => {
    const { es, add, addLive } = setup({ maxDocs: 2, maxPendingDocs: 20, baseBackoffMs: 50 });
    const live = addLive('live');
    add('b0');
    await es.last.answer([
      { status: 503, type: 'unavailable_shards_exception', reason: 'primary not active' },
      201,
    ]);
    ['b1', 'b2', 'b3'].forEach(add);
    expect(es.last.ids).toEqual(['b1', 'b2']);
    // Back from its backoff while [b1, b2] is in flight: it goes beside that bulk, not after b3.
    await vi.advanceTimersByTimeAsync(50);
    expect(es.last.ids).toEqual(['live']);
    await es.last.answer();
    expect(live.value).toBe('indexed');
  });
});

describe('ElasticsearchBuffer per-document outcomes', () => {
  it('settles each document from its own item: indexed, 409 superseded, 400 rejected for that document only', async () => {
    const { es, registry, add } = setup({ maxDocs: 4 });
    const [ok, old, bad, alsoOk] = ['ok', 'old', 'bad', 'also-ok'].map(add);
    await es.last.answer([
      201,
      { status: 409, type: 'version_conflict_engine_exception', reason: 'current version [7] is higher' },
      { status: 400, type: 'document_parsing_exception', reason: 'failed to parse field [size]' },
      200,
    ]);
    expect([ok?.value, old?.value, alsoOk?.value]).toEqual<(WriteOutcome | undefined)[]>([
      'indexed',
      'superseded',
      'indexed',
    ]);
    expect(bad?.error).toBeInstanceOf(DocumentRejectedError);
    expect((bad?.error as DocumentRejectedError).context).toEqual({ id: 'bad', status: 400 });
    expect((bad?.error as Error).message).toContain('failed to parse field [size]');
    // A rejected document is not retried: the same body would be rejected again.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(es.calls).toHaveLength(1);
    expect(await documentsCounted(registry)).toEqual({ indexed: 2, version_conflict: 1, failed: 1 });
  });

  it('retries 429 and 5xx items alone, after baseBackoffMs doubling per attempt, until they are indexed', async () => {
    const { es, add } = setup({ maxDocs: 2, idleMs: 100, baseBackoffMs: 50 });
    const busy = add('busy');
    const fine = add('fine');
    await es.last.answer([
      { status: 429, type: 'es_rejected_execution_exception', reason: 'queue full' },
      201,
    ]);
    expect(fine.value).toBe('indexed');
    // Retry n waits baseBackoffMs·2^(n-1), then the requeued document waits idleMs like any other.
    await vi.advanceTimersByTimeAsync(149);
    expect(es.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(es.last.ids).toEqual(['busy']);
    await es.last.answer([
      { status: 503, type: 'unavailable_shards_exception', reason: 'primary not active' },
    ]);
    await vi.advanceTimersByTimeAsync(199);
    expect(es.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(es.calls).toHaveLength(3);
    expect(busy.status).toBe('pending');
    await es.last.answer();
    expect(busy.value).toBe('indexed');
  });

  it('rejects a document with SearchUnavailableError, an outage, after maxAttempts of 5xx, with the last reason', async () => {
    const { es, registry, add } = setup({ maxDocs: 1, maxAttempts: 3 });
    const doomed = add('doomed');
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect(es.calls).toHaveLength(attempt);
      await es.last.answer([{ status: 502, type: 'node_disconnected_exception', reason: `try ${attempt}` }]);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(es.calls).toHaveLength(3);
    expect(doomed.error).toBeInstanceOf(SearchUnavailableError);
    expect((doomed.error as SearchUnavailableError).outage?.dependency).toBe('elasticsearch');
    expect((doomed.error as SearchUnavailableError).context).toEqual({ id: 'doomed', attempts: 3 });
    expect((doomed.error as Error).message).toContain('try 3');
    expect(await documentsCounted(registry)).toEqual({ retried: 2, failed: 1 });
  });

  it('rejects a document at once with SearchReadOnlyError when the index is blocked (flood-stage watermark)', async () => {
    const { es, registry, add } = setup({ maxDocs: 2 });
    const [blocked, other] = ['blocked', 'other'].map(add);
    await es.last.answer([
      {
        status: 429,
        type: 'cluster_block_exception',
        reason:
          'index [torrents-test] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark]',
      },
      201,
    ]);
    expect(blocked?.error).toBeInstanceOf(SearchReadOnlyError);
    expect((blocked?.error as Error).message).toContain('flood-stage');
    expect(other?.value).toBe('indexed');
    expect(es.calls).toHaveLength(1);
    expect(await documentsCounted(registry)).toEqual({ failed: 1, indexed: 1 });
  });

  it('rejects every document of a bulk refused with 401 at once with SearchAuthError, without retrying', async () => {
    const { es, add } = setup({ maxDocs: 2 });
    const outcomes = ['a', 'b'].map(add);
    const body = { error: { type: 'security_exception', reason: 'unable to authenticate' } };
    await es.last.fail(engineFailure('opensearch', 'http://os:9200', '/_bulk', { status: 401, body }, null));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(outcomes.map((o) => o?.error)).toEqual([expect.any(SearchAuthError), expect.any(SearchAuthError)]);
    expect((outcomes[0]?.error as Error).message).toContain('ELASTICSEARCH_API_KEY');
    expect(es.calls).toHaveLength(1);
  });

  it('retries every document of a bulk request that failed as a whole, with backoff capped at maxBackoffMs', async () => {
    const { es, add } = setup({ maxDocs: 2, maxAttempts: 5, baseBackoffMs: 100, maxBackoffMs: 250 });
    const outcomes = ['a', 'b'].map(add);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const failedAt = Date.now();
      await es.last.fail(new Error('connect ECONNREFUSED 127.0.0.1:9200'));
      await vi.advanceTimersByTimeAsync(1_000);
      delays.push(es.last.at - failedAt);
    }
    // Backoffs 100, 200, then 250 (capped) twice; both documents come back together and fill maxDocs.
    expect(delays).toEqual([100, 200, 250, 250]);
    expect(es.calls.every((c) => c.ids.join() === 'a,b')).toBe(true);
    await es.last.answer();
    expect(outcomes.map((o) => o.value)).toEqual(['indexed', 'indexed']);
  });
});

describe('ElasticsearchBuffer flush()', () => {
  it('resolves at once when nothing is pending', async () => {
    const { es, buffer } = setup();
    await buffer.flush();
    expect(es.calls).toHaveLength(0);
  });

  it('sends queued documents without waiting for a timer and resolves only once every one settled, retries included', async () => {
    const { es, buffer, add } = setup({ idleMs: 100, maxWaitMs: 1_000, baseBackoffMs: 50 });
    const [a, b] = ['a', 'b'].map(add);
    const flushed = watch(buffer.flush());
    expect(es.calls.map((c) => c.ids)).toEqual([['a', 'b']]);
    await es.last.answer([
      201,
      { status: 429, type: 'es_rejected_execution_exception', reason: 'queue full' },
    ]);
    expect(flushed.status).toBe('pending');
    // The retry is sent when its backoff ends, not idleMs later: flush() is waiting for it.
    await vi.advanceTimersByTimeAsync(50);
    expect(es.calls).toHaveLength(2);
    expect(flushed.status).toBe('pending');
    await es.last.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect([a?.value, b?.value, flushed.status]).toEqual(['indexed', 'indexed', 'fulfilled']);
  });

  it('waits for the in-flight bulk, then sends what queued behind it', async () => {
    const { es, buffer, add } = setup({ maxDocs: 2 });
    ['a', 'b', 'c'].forEach(add);
    const flushed = watch(buffer.flush());
    expect(es.calls).toHaveLength(1);
    await es.last.answer();
    expect(es.calls.map((c) => c.ids)).toEqual([['a', 'b'], ['c']]);
    expect(flushed.status).toBe('pending');
    await es.last.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed.status).toBe('fulfilled');
  });
});

describe('ElasticsearchBuffer hurry()', () => {
  it('sends what is queued at once and every later add without waiting for a timer, and still accepts adds', async () => {
    const { es, buffer, add } = setup({ maxDocs: 10, idleMs: 100, maxWaitMs: 1_000 });
    const first = add('a');
    expect(es.calls).toHaveLength(0);
    buffer.hurry();
    expect(es.last.ids).toEqual(['a']);
    const [b, c] = ['b', 'c'].map(add);
    expect(es.calls).toHaveLength(1);
    await es.last.answer();
    expect(first.value).toBe('indexed');
    // The next batch went out as soon as the one in flight completed, not at idleMs.
    expect(es.last.ids).toEqual(['b', 'c']);
    await es.last.answer();
    expect([b?.value, c?.value]).toEqual(['indexed', 'indexed']);
    const d = add('d');
    expect(es.last.ids).toEqual(['d']);
    await es.last.answer();
    expect(d.value).toBe('indexed');
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('ElasticsearchBuffer close()', () => {
  it('refuses adds after close with DocumentNotIndexedError, including adds waiting for space', async () => {
    const { buffer, add } = setup({ maxDocs: 2, maxPendingDocs: 2 });
    add('a');
    add('b');
    const waiting = add('waiting');
    void buffer.close();
    const late = add('late');
    await vi.advanceTimersByTimeAsync(0);
    for (const refused of [waiting, late]) {
      expect(refused.error).toBeInstanceOf(DocumentNotIndexedError);
    }
    expect((late.error as Error).message).toContain('torrents-test is closed; late was not queued');
  });

  it('lets the in-flight bulk finish, then sends the queued documents at once and resolves when all are settled', async () => {
    const { es, buffer, add } = setup({ maxDocs: 3, idleMs: 100, maxWaitMs: 1_000 });
    const outcomes = ['a', 'b', 'c', 'd', 'e'].map(add);
    const closed = watch(buffer.close());
    await es.last.answer();
    // d and e go out right after the in-flight bulk, without waiting for idleMs.
    expect(es.calls.map((c) => c.ids)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(closed.status).toBe('pending');
    await es.last.answer();
    await vi.advanceTimersByTimeAsync(0);
    expect(closed.status).toBe('fulfilled');
    expect(outcomes.every((o) => o.value === 'indexed')).toBe(true);
  });

  it('at its deadline rejects queued documents and documents waiting for a retry, and leaves the in-flight ones to their bulk', async () => {
    const { es, buffer, add } = setup({ maxDocs: 2, baseBackoffMs: 60_000, maxBackoffMs: 60_000 });
    const [retry, ok] = ['retry', 'ok'].map(add);
    await es.last.answer([
      { status: 429, type: 'es_rejected_execution_exception', reason: 'queue full' },
      201,
    ]);
    expect(ok?.value).toBe('indexed');
    const [inFlight1, inFlight2, queued] = ['f1', 'f2', 'queued'].map(add);
    const hung = es.last;
    expect(hung.ids).toEqual(['f1', 'f2']);
    const closed = watch(buffer.close(1_000));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(closed.status).toBe('fulfilled');
    expect(queued?.error).toBeInstanceOf(DocumentNotIndexedError);
    expect((queued?.error as Error).message).toContain('deadline');
    expect(retry?.error).toBeInstanceOf(DocumentNotIndexedError);
    expect([inFlight1?.status, inFlight2?.status]).toEqual(['pending', 'pending']);
    await hung.answer();
    expect([inFlight1?.value, inFlight2?.value]).toEqual(['indexed', 'indexed']);
    expect(buffer.pending).toBe(0);
    expect(es.calls).toHaveLength(2);
  });
});
