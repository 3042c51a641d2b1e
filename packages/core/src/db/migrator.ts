import type { Logger } from 'pino';
import { MigrationError } from '../errors.js';
import { migrations as defaultMigrations, type Migration } from './migrations/index.js';
import type { Sql } from './sql-client.js';

// Any fixed number works; it only has to be the same in every replica.
const MIGRATION_LOCK_ID = 7_401_263_001;

export interface MigrateResult {
  applied: Migration[];
  current: number;
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock so that two
 * replicas starting together cannot migrate at once. Running it again changes nothing.
 */
export async function migrate(sql: Sql, logger: Logger, migrations = defaultMigrations): Promise<MigrateResult> {
  const conn = await sql.reserve();
  try {
    await conn`SELECT pg_advisory_lock(${MIGRATION_LOCK_ID})`;
    await conn`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Set((await conn<{ version: number }[]>`SELECT version FROM schema_migrations`).map((r) => r.version));
    const applied: Migration[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      try {
        await conn.begin(async (tx) => {
          await tx.unsafe(migration.sql);
          await tx`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`;
        });
      } catch (error) {
        throw new MigrationError(
          `migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
          { version: migration.version },
          { cause: error },
        );
      }
      logger.info({ version: migration.version, name: migration.name }, 'migration applied');
      applied.push(migration);
    }
    const current = Math.max(0, ...done, ...applied.map((m) => m.version));
    return { applied, current };
  } finally {
    await conn`SELECT pg_advisory_unlock(${MIGRATION_LOCK_ID})`.catch(() => undefined);
    conn.release();
  }
}
