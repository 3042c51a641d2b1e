import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSqlClient } from '@minato/core';
import type { ReachedStatus } from '../support/pipeline-status.js';
import { pipelinePerTest } from '../support/pipeline-per-test.js';
import { testConfig } from '../support/test-env.js';
import { repoRoot, runNode, withOutput } from '../support/worker-processes.js';
import { waitFor } from '../support/wait-for.js';

const run = promisify(execFile);
// deploy/local/pgbouncer.sh's port: a shared local service, like Redis on 6379, started idempotently.
const PGBOUNCER_PORT = 6432;

/** `DATABASE_URL` with its port (and database) replaced. */
function databaseUrl(base: string, port: number, database: string): string {
  const url = new URL(base);
  url.port = String(port);
  url.pathname = `/${database}`;
  url.search = '';
  return url.toString();
}

// PgBouncer in transaction mode hands each transaction any server connection: session state does not follow a
// client. The workers and the CLI keep none (the migration lock is transaction-scoped), except prepared statements,
// which DATABASE_PREPARED_STATEMENTS=false turns off. The test database is a database of its own, not a schema
// picked by search_path: PgBouncer 1.18 refuses search_path as a start-up parameter.
describe('the workers and the CLI through PgBouncer in transaction mode', () => {
  const base = testConfig().DATABASE_URL;
  const database = `minato_pgb_${randomBytes(4).toString('hex')}`;
  const direct = databaseUrl(base, 5432, database);
  const pooled = databaseUrl(base, PGBOUNCER_PORT, database);
  const admin = () => createSqlClient({ url: base, max: 1 });
  const throughBouncer = {
    DATABASE_URL: pooled,
    DATABASE_PREPARED_STATEMENTS: 'false',
    DATABASE_POOL_MAX: '4',
  };

  beforeAll(async () => {
    await run('deploy/local/pgbouncer.sh', ['start'], {
      cwd: repoRoot,
      env: { ...process.env, PGBOUNCER_PORT: String(PGBOUNCER_PORT) },
    });
    const sql = admin();
    await sql.unsafe(`CREATE DATABASE ${database}`);
    await sql.end();
    // The schema through PgBouncer, before the harness (which migrates too, and then finds nothing to do).
    const migrated = await runNode(['packages/cli/dist/main.js', 'migrate'], throughBouncer);
    expect(migrated.code, withOutput(migrated)).toBe(0);
  }, 180_000);
  afterEach(async () => {
    const sql = admin();
    // FORCE: PgBouncer keeps its server connections to the database open.
    await sql.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await sql.end();
  });
  // The tables in the database's own public schema, the one PgBouncer's connections see.
  const pipeline = pipelinePerTest({ DATABASE_URL: `${direct}?search_path=public` });

  it('indexes and enriches 300 torrents with all three workers, and the CLI enqueues and reports them', async () => {
    const { h } = pipeline;
    const minato = async (...args: string[]) => {
      const result = await runNode(['packages/cli/dist/main.js', ...args], { ...h.env, ...throughBouncer });
      expect(result.code, withOutput(result)).toBe(0);
      return result.output;
    };
    for (const name of ['ingest', 'enrichment', 'sync'] as const) {
      await pipeline.start(name, { ...throughBouncer, RECONCILE_EVERY_MS: '0' });
    }
    await h.seed(300, 11);
    await minato('enqueue', 'ingest', '--all');
    const status = async () =>
      JSON.parse((await minato('status', '--json')).trim().split('\n').at(-1) ?? '{}') as ReachedStatus;
    const final = await waitFor(
      'the 300 torrents indexed, enriched and synced',
      async () => {
        const s = await status();
        const busy = Object.values(s.queues).some((q) => q.backlog + q.delayed > 0);
        return !busy && s.postgres.indexed === 300 && s.postgres.matched === s.elasticsearch.matched
          ? s
          : null;
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    expect(final.postgres.matched).toBeGreaterThan(100);
    expect(final.elasticsearch.docs).toBe(300);
    expect(final.failures.total).toBe(0);
  });
});
