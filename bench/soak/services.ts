import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { repoRoot } from '../../test/support/worker-processes.js';

const run = promisify(execFile);

// The soak's own instances: it restarts and stops them, so it must never touch the shared 6379/5432/9200.
const REDIS_PORT = 6399;
const ES_PORT = 9218;
const PG_PORT = 5443;
const PG_CLUSTER = ['15', 'soak'] as const;

/** The soak's private Redis, Elasticsearch and PostgreSQL, and the faults it can inflict on them. */
export interface SoakServices {
  /** what the workers and the harness read: ports, URLs and the passwords set */
  env: Record<string, string>;
  /** the passwords given to the services, for the secret scan */
  secrets: Record<string, string>;
  /** Redis runs without persistence, so this loses every queue, job and the bucket's ledger */
  restartRedis(): Promise<void>;
  restartPostgres(): Promise<void>;
  stopElasticsearch(): Promise<void>;
  startElasticsearch(): Promise<void>;
  /** stops all three and drops the PostgreSQL cluster */
  close(): Promise<void>;
}

async function sh(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<void> {
  await run(command, args, { cwd: repoRoot, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
}

const psql = (sqlText: string): Promise<void> =>
  sh('runuser', [
    '-u',
    'postgres',
    '--',
    'psql',
    '-p',
    String(PG_PORT),
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    sqlText,
  ]);

/** Starts the three services on the soak's ports, from scratch (a leftover cluster of a killed run is dropped). */
export async function startSoakServices(): Promise<SoakServices> {
  const redisPassword = `soak-redis-${randomBytes(6).toString('hex')}`;
  const pgPassword = `soak-pg-${randomBytes(6).toString('hex')}`;
  const redisEnv = { REDIS_PORT: String(REDIS_PORT) };
  const redis = (action: 'start' | 'stop') =>
    sh('deploy/local/redis.sh', [action, '--password', redisPassword], redisEnv);
  const elasticsearch = (action: 'start' | 'stop') =>
    sh('deploy/local/elasticsearch.sh', [action, '--port', String(ES_PORT)]);
  const dropCluster = () => sh('pg_dropcluster', ['--stop', ...PG_CLUSTER]).catch(() => undefined);

  await dropCluster();
  await sh('pg_createcluster', [...PG_CLUSTER, '-p', String(PG_PORT), '--start']);
  await psql(`CREATE ROLE minato LOGIN PASSWORD '${pgPassword}'`);
  await psql('CREATE DATABASE minato OWNER minato');
  // A leftover Redis of a killed run holds another password: stop it through its pid file.
  await sh('bash', [
    '-c',
    `pid=$(cat .cache/redis-${REDIS_PORT}/redis.pid 2>/dev/null) && kill "$pid" && timeout 30 tail --pid="$pid" -f /dev/null`,
  ]).catch(() => undefined);
  await redis('start');
  await elasticsearch('start');

  return {
    env: {
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: String(REDIS_PORT),
      REDIS_PASSWORD: redisPassword,
      DATABASE_URL: `postgres://minato:${pgPassword}@127.0.0.1:${PG_PORT}/minato`,
      ELASTICSEARCH_NODE: `http://127.0.0.1:${ES_PORT}`,
    },
    secrets: { REDIS_PASSWORD: redisPassword, DATABASE_PASSWORD: pgPassword },
    restartRedis: async () => {
      await redis('stop');
      await redis('start');
    },
    restartPostgres: () => sh('pg_ctlcluster', [...PG_CLUSTER, 'restart']),
    stopElasticsearch: () => elasticsearch('stop'),
    startElasticsearch: () => elasticsearch('start'),
    close: async () => {
      await Promise.allSettled([redis('stop'), elasticsearch('stop')]);
      await dropCluster();
    },
  };
}
