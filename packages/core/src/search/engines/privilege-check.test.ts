import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SearchPrivilegeError, SearchUnavailableError } from '../../errors.js';
import { verifySearchPrivileges, type PrivilegesClient } from './privilege-check.js';

const unreachable: PrivilegesClient = {
  hasPrivileges: () =>
    Promise.reject(new SearchUnavailableError('Elasticsearch at http://es:9200 could not be reached')),
};

describe('verifySearchPrivileges', () => {
  it('names the privilege the answer denies', async () => {
    const client: PrivilegesClient = {
      hasPrivileges: () =>
        Promise.resolve({ has_all_requested: false, cluster: {}, index: { torrents: { read: false } } }),
    };
    const attempt = verifySearchPrivileges({ client, alias: 'torrents', role: 'search' });
    await expect(attempt).rejects.toBeInstanceOf(SearchPrivilegeError);
    await expect(attempt).rejects.toThrow(
      'ELASTICSEARCH_API_KEY lacks index privilege "read" on "torrents" (minato search needs them: README.md, Security)',
    );
  });

  it('has nothing to check on a cluster without security', async () => {
    const client: PrivilegesClient = { hasPrivileges: () => Promise.resolve(null) };
    await expect(
      verifySearchPrivileges({ client, alias: 'torrents', role: 'search' }),
    ).resolves.toBeUndefined();
  });

  it('logs an unreachable cluster and goes on when given a logger, as a worker that waits for it', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = pino({ level: 'warn' }, sink);
    await verifySearchPrivileges({ client: unreachable, alias: 'torrents', role: 'search', logger });
    expect(lines.join('')).toContain('Elasticsearch unreachable: privileges not checked at start-up');
  });

  it('throws an unreachable cluster without a logger, for a command that needs the cluster now', async () => {
    const attempt = verifySearchPrivileges({ client: unreachable, alias: 'torrents', role: 'search' });
    await expect(attempt).rejects.toBeInstanceOf(SearchUnavailableError);
  });
});
