import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiredPrivileges } from '@minato/core';
import { startTmdbFake } from '@minato/tmdb-fake';
import {
  createPostgresLogin,
  dropPostgresLogin,
  ownPort,
  startOwnRedis,
  stopOwnRedis,
} from '../support/local-services.js';
import { createHarness, type Harness } from '../support/pipeline-harness.js';
import { findSecrets, redisContents, secretsIn } from '../support/secret-scan.js';
import {
  limitedTo,
  SECURE_PORT,
  startSecureElasticsearch,
  type SecureElasticsearch,
} from '../support/secure-elasticsearch.js';
import { waitFor } from '../support/wait-for.js';
import {
  runNode,
  secretsWritten,
  startNode,
  startReadyWorker,
  stopProcess,
  type WorkerName,
} from '../support/worker-processes.js';

const REDIS_PORT = ownPort(6395); // this file's own Redis, with a password
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

describe('secrets given to the workers and the CLI', () => {
  const redisPassword = secret('redis');
  const tmdbKey = secret('tmdb');
  const pgRole = `minato_secret_${randomBytes(4).toString('hex')}`;
  const pgPassword = secret('pg');
  let es: SecureElasticsearch;
  let h: Harness;
  let tmdb: Awaited<ReturnType<typeof startTmdbFake>>;
  let esKey = '';
  let cliKey = '';
  let env: Record<string, string> = {};

  beforeAll(async () => {
    es = await startSecureElasticsearch(SECURE_PORT);
    await startOwnRedis(REDIS_PORT, { password: redisPassword });
    // A login of the test's own: the password in DATABASE_URL is then a value nothing else contains.
    await createPostgresLogin(pgRole, pgPassword);
    tmdb = await startTmdbFake({ port: 0, apiKey: tmdbKey });
    h = await createHarness({
      REDIS_PORT: String(REDIS_PORT),
      REDIS_PASSWORD: redisPassword,
      ELASTICSEARCH_NODE: es.node,
      ELASTICSEARCH_API_KEY: es.adminKey,
    });
    esKey = await es.createApiKey(
      'minato-workers',
      limitedTo(requiredPrivileges['sync-worker'], h.config.ELASTICSEARCH_INDEX),
    );
    cliKey = await es.createApiKey(
      'minato-cli-status',
      limitedTo(requiredPrivileges.status, h.config.ELASTICSEARCH_INDEX),
    );
    env = {
      ...h.env,
      DATABASE_URL: h.env.DATABASE_URL.replace('//minato:minato@', `//${pgRole}:${pgPassword}@`),
      ELASTICSEARCH_API_KEY: esKey,
      TMDB_API_KEY: tmdbKey,
      TMDB_BASE_URL: tmdb.baseUrl,
      // Everything a worker can say, said.
      LOG_LEVEL: 'trace',
      RECONCILE_EVERY_MS: '500',
    };
  }, 240_000);
  afterAll(async () => {
    await h.close();
    await tmdb.close();
    await es.close();
    await stopOwnRedis(REDIS_PORT, { password: redisPassword });
    await dropPostgresLogin(pgRole);
  });

  it('never writes REDIS_PASSWORD, ELASTICSEARCH_API_KEY, TMDB_API_KEY or the database password', async () => {
    expect(env.DATABASE_URL).toContain(pgPassword);
    const names: WorkerName[] = ['ingest', 'enrichment', 'sync'];
    const started = await Promise.all(names.map((name) => startReadyWorker(name, env)));
    const workers = started.map((s) => s.worker);
    const sources: Record<string, string> = {};
    try {
      const torrents = await h.seed(30);
      const hashes = torrents.map((t) => t.infoHash);
      // Bad input too: failed jobs log their payload and keep their reason in Redis.
      await h.queues.TORRENT_INGEST.add('bad', { infoHash: 'not-a-hash' });
      // Past the typed catalog, as a foreign producer writing straight into Redis would.
      await h.queues.CLASSIFY.add('bad', { nope: true } as unknown as { infoHash: string });
      await h.enqueueIngest(hashes);
      await waitFor(
        'every row indexed at its current version, some enriched, every queue drained',
        async () => {
          const [row] = await h.sql<{ current: number; enriched: number }[]>`SELECT
            count(*) FILTER (WHERE indexed_version = version)::int AS current,
            count(*) FILTER (WHERE enriched_at IS NOT NULL)::int AS enriched FROM torrents`;
          const counts = await Promise.all(
            Object.values(h.queues).map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
          );
          return (
            row?.current === 30 &&
            (row.enriched ?? 0) > 0 &&
            counts.every((c) => Object.values(c).every((n) => n === 0))
          );
        },
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      await waitFor('a reconciler pass', () => /"msg":"reconciled/.test(workers[2]?.output() ?? ''));
      for (const [i, { port }] of started.entries()) {
        for (const path of ['metrics', 'readyz', 'healthz']) {
          sources[`${names[i]} /${path}`] = await (await fetch(`http://127.0.0.1:${port}/${path}`)).text();
        }
      }
      const status = startNode(['packages/cli/dist/main.js', 'status', '--json'], {
        ...env,
        ELASTICSEARCH_API_KEY: cliKey,
      });
      expect((await status.exited).code, status.output()).toBe(0);
      sources['minato status output'] = status.output();
    } finally {
      await Promise.all(workers.map((w) => stopProcess(w, 'SIGTERM')));
    }
    for (const [i, w] of workers.entries()) sources[`${names[i]}-worker output`] = w.output();
    sources['Redis keys and values'] = await redisContents(h.redis, h.config.QUEUE_PREFIX);
    // The scan reads real traffic: TMDB was called with the key, a failed job left its payload in Redis.
    expect(tmdb.requests.length).toBeGreaterThan(0);
    expect(sources['Redis keys and values']).toContain('not-a-hash');
    expect(sources['ingest-worker output']).toMatch(/"msg":"job failed"/);

    const secrets = secretsIn(env);
    expect(Object.keys(secrets).sort()).toEqual([
      'DATABASE_URL password',
      'ELASTICSEARCH_API_KEY',
      'ELASTICSEARCH_API_KEY secret half',
      'REDIS_PASSWORD',
      'TMDB_API_KEY',
    ]);
    const cliSecrets = Object.entries(secretsIn({ ELASTICSEARCH_API_KEY: cliKey }));
    const leaks = findSecrets(sources, {
      ...secrets,
      ...Object.fromEntries(cliSecrets.map(([name, value]) => [`the CLI's ${name}`, value])),
    });
    expect(leaks, leaks.join('\n')).toEqual([]);
  }, 240_000);

  it('reports a secret a started process writes, naming the variable, the form and the command, once', async () => {
    const key = secret('tmdb');
    const printed = await runNode(['-e', 'process.stdout.write(btoa(process.env.TMDB_API_KEY))'], {
      TMDB_API_KEY: key,
    });
    expect(printed.output).toBe(Buffer.from(key).toString('base64'));
    expect(secretsWritten()).toEqual([`TMDB_API_KEY (base64) in ${printed.command} output`]);
    // Reported once: the file's own check (process-cleanup.ts) would otherwise fail this file for it.
    expect(secretsWritten()).toEqual([]);
  });
});
