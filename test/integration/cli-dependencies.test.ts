import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlClient } from '@minato/core';
import { ownPort, startOwnRedis, stopOwnRedis } from '../support/local-services.js';
import { createHarness, freePort, type Harness } from '../support/pipeline-harness.js';
import { SECURE_PORT, startSecureElasticsearch } from '../support/secure-elasticsearch.js';
import { uniqueName } from '../support/test-env.js';
import { runNode, withOutput } from '../support/worker-processes.js';

// This file's own Redis, requiring a password that the commands are not given.
const REDIS_PASSWORD_PORT = ownPort(6398);

type Dependency = 'PostgreSQL' | 'Redis' | 'Elasticsearch';
/** Each dependency's documented exit status (`minato --help`, README "The minato command"). */
const EXIT_STATUS: Record<Dependency, number> = { PostgreSQL: 3, Redis: 4, Elasticsearch: 5 };

interface Condition {
  dependency: Dependency;
  /** the environment that makes the dependency missing, from the harness's working one */
  env: (h: Harness) => Record<string, string>;
  /** what the one line says is wrong, and the fix it names */
  says: RegExp;
}

describe('every minato command with a dependency missing', () => {
  let h: Harness;
  let closedPort: number;
  let silent: Server;
  let silentPort: number;
  let unmigratedUrl: string;
  let secureNode: string;

  beforeAll(async () => {
    h = await createHarness();
    closedPort = await freePort();
    // Accepts connections and never answers: a service that hangs, which only a deadline ends.
    silent = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    silentPort = (silent.address() as { port: number }).port;
    const schema = uniqueName('unmigrated').replace(/-/g, '_');
    const admin = createSqlClient({ url: h.config.DATABASE_URL, max: 1 });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    await admin.end();
    unmigratedUrl = h.config.DATABASE_URL.replace(/\?.*$/, `?search_path=${schema}`);
    await startOwnRedis(REDIS_PASSWORD_PORT, { password: 'the-server-wants-this' });
    secureNode = (await startSecureElasticsearch(SECURE_PORT)).node;
  });
  afterAll(async () => {
    silent?.close();
    await stopOwnRedis(REDIS_PASSWORD_PORT, { password: 'the-server-wants-this' });
    await h?.close();
  });

  const conditions: Record<string, Condition> = {
    'PostgreSQL down': {
      dependency: 'PostgreSQL',
      env: () => ({ DATABASE_URL: `postgres://minato:minato@127.0.0.1:${closedPort}/minato` }),
      says: /is unreachable \(.*ECONNREFUSED.*\): start PostgreSQL or correct DATABASE_URL$/,
    },
    'PostgreSQL hanging': {
      dependency: 'PostgreSQL',
      env: () => ({ DATABASE_URL: `postgres://minato:minato@127.0.0.1:${silentPort}/minato` }),
      says: /did not answer within 3 s: start PostgreSQL or correct DATABASE_URL$/,
    },
    'PostgreSQL refusing the password': {
      dependency: 'PostgreSQL',
      env: (h) => ({
        DATABASE_URL: h.config.DATABASE_URL.replace('minato:minato@', 'minato:not-the-password@'),
      }),
      says: /refused the login \(28P01: .*\): check the user and password in DATABASE_URL$/,
    },
    'PostgreSQL not migrated': {
      dependency: 'PostgreSQL',
      env: () => ({ DATABASE_URL: unmigratedUrl }),
      says: /is not migrated \(schema version 0, this release needs \d+\): run `minato migrate`$/,
    },
    'Redis down': {
      dependency: 'Redis',
      env: () => ({ REDIS_PORT: String(closedPort) }),
      says: /is unreachable \(.*ECONNREFUSED.*\): start Redis or correct REDIS_HOST and REDIS_PORT$/,
    },
    'Redis refusing the password': {
      dependency: 'Redis',
      env: () => ({ REDIS_PORT: String(REDIS_PASSWORD_PORT) }),
      says: /refused the connection \(NOAUTH\): check REDIS_PASSWORD$/,
    },
    'Elasticsearch down': {
      dependency: 'Elasticsearch',
      env: () => ({ ELASTICSEARCH_NODE: `http://127.0.0.1:${closedPort}` }),
      says: /(is unreachable|could not be reached) \(.*ECONNREFUSED.*\): start (Elasticsearch|it) or correct ELASTICSEARCH_NODE$/,
    },
    'Elasticsearch refusing the key': {
      dependency: 'Elasticsearch',
      env: () => ({
        ELASTICSEARCH_NODE: secureNode,
        ELASTICSEARCH_API_KEY: Buffer.from('id:nope').toString('base64'),
      }),
      says: /refused the credentials \(HTTP 401.*\): check ELASTICSEARCH_API_KEY/,
    },
    'the index missing': {
      dependency: 'Elasticsearch',
      env: () => ({ ELASTICSEARCH_INDEX: uniqueName('never-created') }),
      says: /has no index or alias "never-created-[^"]+": start a worker \(it creates the index\) or run `minato reindex`$/,
    },
  };
  const hash = 'a'.repeat(40);
  // Each command, and the conditions of the dependencies it needs.
  const matrix: [string[], string[]][] = [
    [['migrate'], ['PostgreSQL down', 'PostgreSQL hanging', 'PostgreSQL refusing the password']],
    [
      ['seed', '--count', '1'],
      ['PostgreSQL down', 'PostgreSQL refusing the password', 'PostgreSQL not migrated'],
    ],
    [
      ['seed', '--count', '1', '--enqueue'],
      ['Redis down', 'Redis refusing the password'],
    ],
    [
      ['enqueue', 'ingest', '--all'],
      ['PostgreSQL down', 'PostgreSQL not migrated', 'Redis down', 'Redis refusing the password'],
    ],
    [
      ['enqueue', 'sync', hash],
      ['Redis down', 'Redis refusing the password'],
    ],
    [
      ['backfill'],
      [
        'PostgreSQL down',
        'PostgreSQL not migrated',
        'Redis down',
        'Elasticsearch down',
        'Elasticsearch refusing the key',
      ],
    ],
    [
      ['backfill', '--dry-run'],
      ['PostgreSQL not migrated', 'Elasticsearch down'],
    ],
    [
      ['delete', hash, '--reason', 'takedown'],
      ['PostgreSQL down', 'PostgreSQL not migrated'],
    ],
    [['restore-done'], ['PostgreSQL not migrated', 'Redis down', 'Elasticsearch down']],
    [
      ['reindex'],
      ['PostgreSQL down', 'PostgreSQL not migrated', 'Elasticsearch down', 'Elasticsearch refusing the key'],
    ],
    [
      ['search', 'dune'],
      ['Elasticsearch down', 'Elasticsearch refusing the key'],
    ],
  ];
  const cases = matrix.flatMap(([args, names]) => names.map((name) => [args.join(' '), name, args] as const));

  it.each(cases)(
    'minato %s with %s prints one line naming it, its address and the fix, and exits with its status',
    async (_, name, args) => {
      const condition = conditions[name]!;
      const result = await runNode(['packages/cli/dist/main.js', ...args], { ...h.env, ...condition.env(h) });
      const lines = result.output.trim().split('\n');
      expect(result.code, withOutput(result)).toBe(EXIT_STATUS[condition.dependency]);
      expect(lines, withOutput(result)).toHaveLength(1);
      expect(lines[0], withOutput(result)).toMatch(new RegExp(`^minato: ${condition.dependency} at \\S+ `));
      expect(lines[0], withOutput(result)).toMatch(condition.says);
    },
  );

  it('status prints the counts it can reach and marks the services it cannot, exiting with the first one’s status', async () => {
    const result = await runNode(['packages/cli/dist/main.js', 'status', '--json'], {
      ...h.env,
      REDIS_PORT: String(closedPort),
    });
    expect(result.code, withOutput(result)).toBe(EXIT_STATUS.Redis);
    const status = JSON.parse(result.output.trim().split('\n')[0]!) as Record<string, unknown>;
    expect(status.postgres, withOutput(result)).toMatchObject({ torrents: 0 });
    expect(status.elasticsearch, withOutput(result)).toMatchObject({ docs: 0 });
    expect(status.queues).toBeNull();
    const unreachable = status.unreachable as Record<string, string>;
    expect(Object.keys(unreachable)).toEqual(['redis']);
    expect(unreachable.redis).toMatch(/^Redis at 127\.0\.0\.1:\d+ is unreachable/);
  });

  it('--verbose shows the stack of what went wrong', async () => {
    const result = await runNode(['packages/cli/dist/main.js', '--verbose', 'migrate'], {
      ...h.env,
      ...conditions['PostgreSQL down']!.env(h),
    });
    expect(result.code, withOutput(result)).toBe(EXIT_STATUS.PostgreSQL);
    expect(result.output, withOutput(result)).toMatch(/DependencyUnavailableError: PostgreSQL at .*\n\s+at /);
  });
});
