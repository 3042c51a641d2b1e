import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait-for.js';
import { repoRoot } from './worker-processes.js';

const run = promisify(execFile);

/** The options an own Redis (or a topology of a test's own) was started with; the same ones stop it. */
export interface OwnRedisOptions {
  password?: string;
  tls?: boolean;
}

/** `deploy/local/redis.sh`'s options for `options`: `--password P`, `--tls`. */
export function redisScriptArgs({ password, tls = false }: OwnRedisOptions): string[] {
  return [...(password ? ['--password', password] : []), ...(tls ? ['--tls'] : [])];
}

/**
 * Starts (or finds) a Redis of this test's own on `port` (never the shared 6379), requiring `password` when
 * given and serving TLS only when `tls`; returns the CA file that signed its certificate for a TLS one.
 */
export async function startOwnRedis(
  port: number,
  options: OwnRedisOptions = {},
): Promise<{ caFile: string | undefined }> {
  const args = redisScriptArgs(options);
  const env = { ...process.env, REDIS_PORT: String(port) };
  await run('deploy/local/redis.sh', ['start', ...args], { cwd: repoRoot, env });
  if (!options.tls) return { caFile: undefined };
  const { stdout } = await run('deploy/local/redis.sh', ['ca-file', ...args], { cwd: repoRoot, env });
  return { caFile: stdout.trim() };
}

/** Stops a Redis that `startOwnRedis` started, dropping its data. */
export async function stopOwnRedis(port: number, options: OwnRedisOptions = {}) {
  await run('deploy/local/redis.sh', ['stop', ...redisScriptArgs(options)], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_PORT: String(port) },
  });
}

/**
 * Stops an own Redis (plain, no TLS) with SHUTDOWN SAVE, as a Redis with persistence stops; resolves to the
 * restart, which loads that data back and then deletes the file, so that a later start begins empty.
 */
export async function stopOwnRedisKeepingData(
  port: number,
  { password }: Pick<OwnRedisOptions, 'password'> = {},
): Promise<() => Promise<void>> {
  const cli = ['-p', String(port), ...(password ? ['--no-auth-warning', '-a', password] : [])];
  const [dir, file] = await Promise.all(
    ['dir', 'dbfilename'].map(
      async (name) =>
        (await run('redis-cli', [...cli, '--raw', 'CONFIG', 'GET', name])).stdout.split('\n')[1]!,
    ),
  );
  // The server exits while it answers, so the client may see the connection drop: the port is what tells.
  await run('redis-cli', [...cli, 'SHUTDOWN', 'SAVE']).catch(() => undefined);
  await waitFor(`Redis on ${port} to stop`, async () => !(await answersPing(cli)), { timeoutMs: 30_000 });
  return async () => {
    await startOwnRedis(port, { password });
    await rm(join(dir!, file!), { force: true });
  };
}

async function answersPing(cli: string[]): Promise<boolean> {
  return run('redis-cli', [...cli, 'PING']).then(
    ({ stdout }) => stdout.includes('PONG'),
    () => false,
  );
}

/** Starts or stops an Elasticsearch node of a test's own on `port` (never the shared 9200), security off. */
export async function ownElasticsearch(port: number, action: 'start' | 'stop'): Promise<void> {
  const engine = process.env.SEARCH_ENGINE === 'opensearch' ? 'opensearch' : 'elasticsearch';
  await run(`deploy/local/${engine}.sh`, [action, '--port', String(ownPort(port))], { cwd: repoRoot });
}

/**
 * The port of a service of a test's own (a search node, a Redis, a topology): `port` shifted by OWN_PORT_SHIFT,
 * which each engine of the matrix sets to its own (Makefile, ENGINE_TESTS), so that the OpenSearch tier's files run
 * beside the Elasticsearch tier's, and which a second run on the same machine sets to keep off the first one's.
 */
export function ownPort(port: number): number {
  return port + Number(process.env.OWN_PORT_SHIFT ?? 0);
}

// As the postgres superuser: the shared `minato` role may not create roles. The services run locally.
const psql = (sql: string) => run('runuser', ['-u', 'postgres', '--', 'psql', '-Atqc', sql]);

/** A PostgreSQL login of a test's own that inherits the rights of the shared `minato` role. */
export async function createPostgresLogin(role: string, password: string): Promise<void> {
  await psql(`CREATE ROLE ${role} LOGIN PASSWORD '${password}' IN ROLE minato`);
}

/** Drops a login that `createPostgresLogin` made. */
export async function dropPostgresLogin(role: string): Promise<void> {
  await psql(`DROP ROLE IF EXISTS ${role}`);
}

/**
 * A PostgreSQL 15 cluster of a test's own (`pg_createcluster 15 <name>` on `port`, never the shared 5432), with
 * the `minato` role and database, for tests that stop or restart PostgreSQL.
 */
export function ownPostgres(givenName: string, givenPort: number) {
  // A shifted run gets a cluster of its own name too: pg_createcluster names are machine-wide.
  const shift = Number(process.env.OWN_PORT_SHIFT ?? 0);
  const name = shift ? `${givenName}s${shift}` : givenName;
  const port = ownPort(givenPort);
  const cluster = (...args: string[]) => run('pg_ctlcluster', ['15', name, ...args]);
  const psql = (sql: string) => run('su', ['postgres', '-c', `psql -q -p ${port} -c "${sql}"`]);
  return {
    url: `postgres://minato:minato@127.0.0.1:${port}/minato`,
    /** creates the cluster when missing, starts it and gives it an empty `minato` database */
    async create(): Promise<void> {
      const { stdout } = await run('pg_lsclusters', ['--no-header']);
      if (!new RegExp(`^15\\s+${name}\\s`, 'm').test(stdout))
        await run('pg_createcluster', ['15', name, '-p', String(port)]);
      await cluster('start').catch(() => undefined);
      await psql('DROP DATABASE IF EXISTS minato');
      await psql('DROP ROLE IF EXISTS minato');
      await psql("CREATE ROLE minato LOGIN PASSWORD 'minato'");
      await psql('CREATE DATABASE minato OWNER minato');
    },
    /** a fast shutdown: open connections are closed at once */
    async stop(): Promise<void> {
      await cluster('stop', '-m', 'fast');
    },
    async start(): Promise<void> {
      await cluster('start');
    },
    /** a fast shutdown (open connections are closed at once) and a start, as a failover looks to clients */
    async restart(): Promise<void> {
      await cluster('restart', '-m', 'fast');
    },
    async drop(): Promise<void> {
      await run('pg_dropcluster', ['--stop', '15', name]);
    },
  };
}
