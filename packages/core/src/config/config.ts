import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

const port = z.coerce.number().int().min(1).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const httpUrl = z
  .string()
  .refine(
    (v) => /^https?:\/\/[^/]/i.test(v) && URL.canParse(v),
    'must be an http(s) URL like http://host:port',
  );
// A node list, comma-separated: the client spreads requests over the nodes and skips one that is down.
const httpUrlList = z
  .string()
  .refine(
    (v) => v.split(',').every((node) => /^https?:\/\/[^/]/i.test(node.trim()) && URL.canParse(node.trim())),
    'must be an http(s) URL like http://host:port, or several separated by commas',
  );
const postgresUrl = z
  .string()
  .refine(
    (v) => /^postgres(ql)?:\/\//i.test(v) && URL.canParse(v),
    'must be a postgres://user:pass@host:port/db URL',
  );
const readableFile = z.string().refine(isReadableFile, 'must be the path of a readable file');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const optionalSecret = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const redisUrl = z
  .string()
  .refine(
    (v) => /^rediss?:\/\/[^/]/i.test(v) && URL.canParse(v),
    'must be a redis:// or rediss:// URL like redis://user:password@host:6379/0',
  );
/** `host:port,host:port`: the sentinels, or the cluster's seed nodes */
const hostPortList = z.string().refine(
  (v) =>
    v.split(',').every((part) => {
      const match = /^[^\s:,]+:(\d{1,5})$/.exec(part.trim());
      return match !== null && Number(match[1]) >= 1 && Number(match[1]) <= 65_535;
    }),
  'must be a comma-separated list of host:port',
);

/** Every environment variable Minato reads, with the defaults of the local setup (`make services`). */
export const configSchema = z.object({
  REDIS_HOST: z.string().min(1).default('127.0.0.1'),
  REDIS_PORT: port.default(6379),
  REDIS_PASSWORD: optionalSecret,
  /** `true` connects to Redis over TLS (the server's `tls-port`) */
  REDIS_TLS: flag.default(false),
  /** PEM file of the CA that signed Redis's certificate; implies REDIS_TLS */
  REDIS_CA_FILE: readableFile.optional(),
  /** the whole standalone address at once (user and password in it, `rediss://` for TLS); wins over REDIS_HOST/PORT */
  REDIS_URL: redisUrl.optional(),
  /** ACL user (Redis 6+), for every mode; a user in REDIS_URL wins */
  REDIS_USERNAME: z.string().min(1).optional(),
  /** Sentinel mode: the sentinels as `host:port,…`; the master is asked for by REDIS_SENTINEL_NAME */
  REDIS_SENTINELS: hostPortList.optional(),
  /** the master's name in the sentinels' configuration (`sentinel monitor <name> …`) */
  REDIS_SENTINEL_NAME: z.string().min(1).optional(),
  /** password of the sentinels themselves (`requirepass` in sentinel.conf), when they have one */
  REDIS_SENTINEL_PASSWORD: optionalSecret,
  /** Redis Cluster mode: seed nodes as `host:port,…` (the rest are discovered); keys then carry hash tags */
  REDIS_CLUSTER_NODES: hostPortList.optional(),
  DATABASE_URL: postgresUrl.default('postgres://minato:minato@127.0.0.1:5432/minato'),
  /**
   * connections: the most one process opens to PostgreSQL; replicas × this must stay under the server's
   * max_connections (or PgBouncer's), README, Connections
   */
  DATABASE_POOL_MAX: positiveInt.default(10),
  /**
   * `false` sends every query unnamed, for PgBouncer in transaction mode (before 1.21), where a statement prepared
   * on one server connection is missing on the next
   */
  DATABASE_PREPARED_STATEMENTS: flag.default(true),
  /** a direct connection for the feed's LISTEN when DATABASE_URL goes through a transaction pooler (PgBouncer) */
  DATABASE_LISTEN_URL: postgresUrl.optional(),
  /** `notify`: the ingest worker listens to the torrents feed (docs/feed.md); `off`: only enqueued jobs and the reconciler */
  FEED: z.enum(['notify', 'off']).default('notify'),
  /** the search engine's node, or several separated by commas (SEARCH_NODES wins when set) */
  ELASTICSEARCH_NODE: httpUrlList.default('http://127.0.0.1:9200'),
  /** the same as ELASTICSEARCH_NODE under an engine-neutral name; wins over it when set */
  SEARCH_NODES: httpUrlList.optional(),
  /** which engine the nodes run; unset, the first node that answers tells (docs/search-engines.md) */
  SEARCH_ENGINE: z.enum(['elasticsearch', 'opensearch']).optional(),
  /** replicas of each shard in indexes made from the template: 1 survives a lost node, 0 fits a one-node cluster */
  SEARCH_INDEX_REPLICAS: z.coerce.number().int().min(0).default(1),
  ELASTICSEARCH_API_KEY: optionalSecret,
  /** PEM file of the CA that signed Elasticsearch's HTTP certificate, for an https:// ELASTICSEARCH_NODE */
  ELASTICSEARCH_CA_FILE: readableFile.optional(),
  /** The alias searches and writes go through; the concrete index behind it is `<alias>_v<N>[_<timestamp>]`. */
  ELASTICSEARCH_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a lowercase Elasticsearch index name')
    .default('torrents'),
  /** BullMQ key prefix: keys are `<prefix>:<QUEUE>:...` (KEDA triggers and tests rely on it) */
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, _ or -')
    .default('bull'),
  TMDB_API_KEY: optionalSecret,
  TMDB_BASE_URL: httpUrl.default('https://api.themoviedb.org/3'),
  /** milliseconds before a TMDB request is abandoned */
  TMDB_TIMEOUT_MS: positiveInt.default(10_000),
  /** port of /metrics, /healthz and /readyz */
  METRICS_PORT: port.default(9464),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` prints the `[Ingest Worker]`-style lines for a terminal; `json` is for production */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  /** documents: a flush starts when the buffer holds this many */
  ES_BUFFER_MAX_DOCS: positiveInt.default(500),
  /** milliseconds: the longest a document waits in the buffer */
  ES_BUFFER_MAX_WAIT_MS: positiveInt.default(5_000),
  /** milliseconds without a new document after which the buffer flushes early (a lone torrent is fast) */
  ES_BUFFER_IDLE_MS: positiveInt.default(50),
  /** documents queued plus in flight above which `add` waits (back-pressure) */
  ES_BUFFER_MAX_PENDING_DOCS: positiveInt.default(2_000),
  /** tokens: the TMDB bucket's size, shared by all replicas */
  TMDB_RATE_CAPACITY: positiveInt.default(20),
  /** tokens per second added to the TMDB bucket */
  TMDB_RATE_REFILL_PER_SEC: z.coerce.number().positive().default(2),
  /** jobs in flight; pass 1 holds up to a buffer's worth, each awaiting its flush */
  INGEST_CONCURRENCY: positiveInt.default(500),
  ENRICHMENT_CONCURRENCY: positiveInt.default(5),
  SYNC_CONCURRENCY: positiveInt.default(10),
  /** milliseconds between reconciler runs (0 turns the repeatable job off) */
  RECONCILE_EVERY_MS: z.coerce.number().int().min(0).default(300_000),
  /** milliseconds between the reconciler's full comparisons of every row (0: only when documents go missing) */
  RECONCILE_FULL_EVERY_MS: z.coerce.number().int().min(0).default(86_400_000),
  /** milliseconds between the sync worker's reads of the deletion record (rows deleted, documents still there) */
  DELETION_POLL_MS: positiveInt.default(1_000),
  /** milliseconds an applied deletion stays in the record (its reason and time) before it is pruned */
  DELETION_KEEP_MS: z.coerce.number().int().min(0).default(86_400_000),
  /** milliseconds a graceful shutdown may take before the process exits anyway */
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(25_000),
  /**
   * milliseconds a job stays locked to a worker that stopped renewing its lock (killed, frozen); its jobs go back
   * to the queue after at most twice this (BullMQ's lockDuration, with the stalled-job check on the same period)
   */
  JOB_LOCK_MS: positiveInt.default(30_000),
  /**
   * times a job may come back as stalled before BullMQ fails it. A stall is no fault of the job (a killed worker,
   * or a Redis outage longer than the lock that kept a finished job from being recorded), and re-running a job is
   * harmless (external versioning): BullMQ's default of 1 would fail the jobs in flight through a second such event.
   */
  JOB_MAX_STALLED: positiveInt.default(5),
  /**
   * milliseconds a worker may sit with jobs waiting, none taken and none running before it
   * exits for Kubernetes to restart it (BullMQ's stuck-worker mode after failovers; docs/redis.md); 0 turns it off
   */
  WORKER_STUCK_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
  /** port of the web console (packages/console) */
  CONSOLE_PORT: port.default(8080),
  /**
   * who may use the console (docs/console.md): `basic` checks CONSOLE_USERS_FILE, `header` trusts the user an auth
   * proxy puts in CONSOLE_AUTH_HEADER, `none` lets anyone in and must be chosen on purpose
   */
  CONSOLE_AUTH: z.enum(['basic', 'header', 'none']).default('basic'),
  /** `user:scrypt$…` lines (`node packages/console/dist/hash-password.js`), mounted from a Secret */
  CONSOLE_USERS_FILE: readableFile.optional(),
  /** the header holding the signed-in user when CONSOLE_AUTH=header (oauth2-proxy's default shown) */
  CONSOLE_AUTH_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('X-Forwarded-User'),
  /** `true` lets the console retry, clean and promote jobs and re-send torrents; read-only otherwise */
  CONSOLE_ALLOW_ACTIONS: flag.default(false),
  /** where the console loads posters from: TMDB's image CDN, or the TMDB fake's /t/p/w500 offline */
  TMDB_IMAGE_BASE_URL: httpUrl.default('https://image.tmdb.org/t/p/w500'),
});

export type Config = z.infer<typeof configSchema>;

/** The Redis modes exclude one another: each problem is reported on the variable that has to change. */
function redisModeIssues(config: Config): { path: keyof Config; message: string }[] {
  const issues: { path: keyof Config; message: string }[] = [];
  if (config.REDIS_SENTINELS && config.REDIS_CLUSTER_NODES) {
    issues.push({
      path: 'REDIS_CLUSTER_NODES',
      message: 'must be unset when REDIS_SENTINELS is set (Sentinel and Cluster are two different modes)',
    });
  }
  if (config.REDIS_SENTINELS && !config.REDIS_SENTINEL_NAME) {
    issues.push({
      path: 'REDIS_SENTINEL_NAME',
      message: "must name the sentinels' master (`sentinel monitor <name> …`) when REDIS_SENTINELS is set",
    });
  }
  if (config.REDIS_URL && (config.REDIS_SENTINELS || config.REDIS_CLUSTER_NODES)) {
    issues.push({
      path: 'REDIS_URL',
      message: 'must be unset in Sentinel or Cluster mode (give the password in REDIS_PASSWORD)',
    });
  }
  return issues;
}

/** Names of the variables that hold secrets: never logged, redacted wherever they appear. */
export const secretVariables = [
  'REDIS_PASSWORD',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_URL',
  'ELASTICSEARCH_API_KEY',
  'TMDB_API_KEY',
  'DATABASE_URL',
  'DATABASE_LISTEN_URL',
] as const;

/** Parses the environment once; a bad value throws a ConfigError naming each variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const result = configSchema.safeParse(input);
  if (result.success) {
    const modeIssues = redisModeIssues(result.data);
    if (modeIssues.length === 0) return result.data;
    throw new ConfigError(modeIssues.map(({ path, message }) => `${path} ${message}`).join('; '), {
      variables: modeIssues.map((i) => i.path),
    });
  }
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const shown = (secretVariables as readonly string[]).includes(name)
      ? '(hidden)'
      : JSON.stringify(withoutPassword(input[name]));
    return `${name} ${describeIssue(issue)}, got ${shown}`;
  });
  throw new ConfigError(problems.join('; '), { variables: result.error.issues.map((i) => i.path[0]) });
}

/**
 * The value with the password of a `user:password@` in it hidden: ELASTICSEARCH_NODE logs in with one when no API
 * key is set, and a value rejected for its form (a missing scheme, say) may still carry it.
 */
function withoutPassword(value: unknown): unknown {
  return typeof value === 'string'
    ? value.replace(/^((?:[a-z][a-z0-9+.-]*:\/\/)?[^:@/]*):[^@/]*@/i, '$1:(hidden)@')
    : value;
}

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${String(issue.maximum)}`;
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return issue.message;
  }
}
