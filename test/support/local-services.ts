import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { repoRoot } from './worker-processes.js';

const run = promisify(execFile);

/**
 * Starts (or finds) a Redis of this test's own on `port` (never the shared 6379), requiring `password`
 * and serving TLS only when `tls`; returns the CA file that signed its certificate for a TLS one.
 */
export async function startOwnRedis(
  port: number,
  { password, tls = false }: { password: string; tls?: boolean },
): Promise<{ caFile: string | undefined }> {
  const args = ['--password', password, ...(tls ? ['--tls'] : [])];
  const env = { ...process.env, REDIS_PORT: String(port) };
  await run('deploy/local/redis.sh', ['start', ...args], { cwd: repoRoot, env });
  if (!tls) return { caFile: undefined };
  const { stdout } = await run('deploy/local/redis.sh', ['ca-file', ...args], { cwd: repoRoot, env });
  return { caFile: stdout.trim() };
}

/** Stops a Redis that `startOwnRedis` started. */
export async function stopOwnRedis(
  port: number,
  { password, tls = false }: { password: string; tls?: boolean },
) {
  const args = ['--password', password, ...(tls ? ['--tls'] : [])];
  await run('deploy/local/redis.sh', ['stop', ...args], {
    cwd: repoRoot,
    env: { ...process.env, REDIS_PORT: String(port) },
  });
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
