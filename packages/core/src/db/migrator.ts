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
 * Applies pending migrations in one transaction, each under its own savepoint, holding a transaction-scoped
 * advisory lock so that two replicas starting together cannot migrate at once. Running it again changes nothing.
 */
export async function migrate(
  sql: Sql,
  logger: Logger,
  migrations = defaultMigrations,
): Promise<MigrateResult> {
  // One transaction holding a transaction-scoped advisory lock: a second replica waits, then finds
  // every migration applied; a failed migration rolls back with nothing half-done.
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Set(
      (await tx<{ version: number }[]>`SELECT version FROM schema_migrations`).map((r) => r.version),
    );
    const applied: Migration[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      try {
        await tx.savepoint(async (sp) => {
          await sp.unsafe(migration.sql);
          await sp`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`;
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
    return { applied, current: Math.max(0, ...done, ...applied.map((m) => m.version)) };
  });
}
