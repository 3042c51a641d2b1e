import type { Sql } from './sql-client.js';

/** Where the periodic reconciler of one index alias stands. */
export interface ReconcileCheckpoint {
  /** rows changed at or after this instant are read by the next pass */
  changedSince: Date;
  /** the last full comparison of every row against Elasticsearch, if any */
  fullPassAt: Date | null;
}

/** Owns `reconcile_checkpoints`: kept in PostgreSQL so that a Redis wipe cannot reset them. */
export class CheckpointRepository {
  constructor(private readonly sql: Sql) {}

  async get(alias: string): Promise<ReconcileCheckpoint | undefined> {
    const [row] = await this.sql<{ changed_since: Date; full_pass_at: Date | null }[]>`
      SELECT changed_since, full_pass_at FROM reconcile_checkpoints WHERE alias = ${alias}`;
    return row ? { changedSince: row.changed_since, fullPassAt: row.full_pass_at } : undefined;
  }

  /** Moves the checkpoint; `fullPassAt` left out keeps the recorded one. */
  async save(alias: string, changedSince: Date, fullPassAt?: Date): Promise<void> {
    await this.sql`
      INSERT INTO reconcile_checkpoints (alias, changed_since, full_pass_at)
      VALUES (${alias}, ${changedSince}, ${fullPassAt ?? null})
      ON CONFLICT (alias) DO UPDATE SET changed_since = EXCLUDED.changed_since,
        full_pass_at = COALESCE(EXCLUDED.full_pass_at, reconcile_checkpoints.full_pass_at), updated_at = now()`;
  }

  /** PostgreSQL's clock: checkpoints are compared with `updated_at`, which PostgreSQL sets. */
  async now(): Promise<Date> {
    const [row] = await this.sql<{ now: Date }[]>`SELECT now() AS now`;
    return row?.now ?? new Date();
  }
}
