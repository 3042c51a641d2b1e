import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import {
  startSecureElasticsearch,
  TLS_PORT,
  type SecureElasticsearch,
} from '../support/secure-elasticsearch.js';
import { waitFor } from '../support/wait-for.js';
import {
  runNode,
  startReadyWorker,
  startWorker,
  stopProcess,
  withOutput,
  type RunningProcess,
} from '../support/worker-processes.js';

// A node of its own (TLS_PORT) serving HTTPS with a certificate signed by a CA that openssl made for it
// (`deploy/local/elasticsearch.sh start --tls`); the plain 9200 node is untouched.

describe('Elasticsearch over HTTPS with ELASTICSEARCH_CA_FILE', () => {
  let es: SecureElasticsearch;
  let h: Harness;
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    es = await startSecureElasticsearch(TLS_PORT, { tls: true });
    h = await createHarness({
      ELASTICSEARCH_NODE: es.node,
      ELASTICSEARCH_API_KEY: es.adminKey,
      ELASTICSEARCH_CA_FILE: es.caFile ?? '',
    });
  }, 240_000);
  afterEach(async () => {
    if (worker) await stopProcess(worker);
    worker = undefined;
  });
  afterAll(async () => {
    await h.close();
    await es.close();
  });

  it('indexes through an https:// node whose certificate the CA file vouches for', async () => {
    expect(es.node).toMatch(/^https:\/\//);
    const hashes = (await h.seed(20)).map((t) => t.infoHash);
    worker = (await startReadyWorker('ingest', h.env)).worker;
    await h.enqueueIngest(hashes);
    await waitFor('20 torrents indexed', async () => (await h.pgIndexed(hashes)) === 20, {
      timeoutMs: 60_000,
    });
    expect(await h.esCount()).toBe(20);
  });

  it('answers minato search through the https:// node with the CA file, and names the file without it', async () => {
    // A title no synthetic release has: the first test's random seed must not outrank it.
    const probe = {
      infoHash: randomBytes(20).toString('hex'),
      title: 'Quillfeather.Lighthouse.2016.1080p.BluRay.x264-SPARKS',
      size: 1,
    };
    await h.seed([probe]);
    const minato = (env: Record<string, string>, ...args: string[]) =>
      runNode(['packages/cli/dist/main.js', ...args], { ...h.env, ...env });
    const reindexed = await minato({}, 'reindex');
    expect(reindexed.code, withOutput(reindexed)).toBe(0);

    const searched = await minato({}, 'search', '--json', 'quillfeather', 'lighthouse', '2016');
    expect(searched.code, withOutput(searched)).toBe(0);
    const first = JSON.parse(searched.output.split('\n')[0] ?? '') as { infoHash: string; workRank: number };
    expect(first).toMatchObject({ infoHash: probe.infoHash, workRank: 1 });

    const untrusted = await minato({ ELASTICSEARCH_CA_FILE: '' }, 'search', 'quillfeather');
    expect(untrusted.code, withOutput(untrusted)).toBe(5);
    expect(untrusted.output.trim()).toMatch(
      new RegExp(
        `^minato: Elasticsearch at ${es.node} could not be reached \\((unable to verify the first certificate|self[- ]signed certificate[^)]*)\\): set ELASTICSEARCH_CA_FILE to the CA that signed its certificate$`,
      ),
    );
  });

  it('refuses to start without the CA file: the self-signed certificate is not trusted', async () => {
    worker = startWorker('ingest', { ...h.env, ELASTICSEARCH_CA_FILE: '' });
    const { code } = await worker.exited;
    expect(code, worker.output()).toBe(1);
    expect(worker.output()).toMatch(/unable to verify the first certificate|self[- ]signed certificate/);
  });

  it('names ELASTICSEARCH_CA_FILE when the file does not exist', async () => {
    worker = startWorker('ingest', { ...h.env, ELASTICSEARCH_CA_FILE: '/nonexistent/ca.pem' });
    const { code } = await worker.exited;
    expect(code, worker.output()).toBe(1);
    expect(worker.output()).toContain(
      'ingest-worker: invalid configuration: ELASTICSEARCH_CA_FILE must be the path of a readable file, got "/nonexistent/ca.pem"',
    );
  });
});
