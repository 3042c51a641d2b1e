import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface SqlClientOptions {
  url: string;
  /** pool size */
  max?: number;
  /** named prepared statements; off behind PgBouncer in transaction mode (DATABASE_PREPARED_STATEMENTS) */
  prepare?: boolean;
}

/** A PostgreSQL pool; the caller owns it and ends it on shutdown. */
export function createSqlClient({ url, max = 10, prepare = true }: SqlClientOptions): Sql {
  return postgres(url, {
    max,
    prepare,
    onnotice: () => undefined,
    // bigint columns (size, version) come back as JS numbers: sizes and versions stay far below 2^53.
    types: {
      bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
    },
    transform: { undefined: null },
  });
}

// Array parameters carry their array type oid: postgres.js infers it from types it fetches on connect, and
// a connection's very first query runs before that, sending `a,b` instead of `{a,b}` (malformed array literal).
const TEXT_ARRAY_OID = 1009;
const INT8_ARRAY_OID = 1016;

/** A `text[]` parameter. */
export function textArray(sql: Sql, values: readonly string[]) {
  return sql.array(values as string[], TEXT_ARRAY_OID);
}

/** A `bigint[]` parameter. */
export function bigintArray(sql: Sql, values: readonly number[]) {
  return sql.array(values as number[], INT8_ARRAY_OID);
}
