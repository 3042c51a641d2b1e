import postgres from 'postgres';

export type Sql = postgres.Sql;

export interface SqlClientOptions {
  url: string;
  /** pool size */
  max?: number;
}

/** A PostgreSQL pool; the caller owns it and ends it on shutdown. */
export function createSqlClient({ url, max = 10 }: SqlClientOptions): Sql {
  return postgres(url, {
    max,
    onnotice: () => undefined,
    // bigint columns (size, version) come back as JS numbers: sizes and versions stay far below 2^53.
    types: {
      bigint: { to: 20, from: [20], serialize: (v: number) => String(v), parse: (v: string) => Number(v) },
    },
    transform: { undefined: null },
  });
}
