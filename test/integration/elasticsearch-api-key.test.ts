import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkSearchConnection, createSearchClient, SearchAuthError } from '@minato/core';
import { repoRoot } from '../support/worker-processes.js';

const SECURE_PORT = 9201;
const node = `http://127.0.0.1:${SECURE_PORT}`;
const admin = 'Basic ' + Buffer.from('minato-admin:minato-admin-pw').toString('base64');

// A second node with security on: the default test cluster runs without it.
describe('ELASTICSEARCH_API_KEY against a cluster with security on', () => {
  let encodedKey = '';

  beforeAll(async () => {
    await promisify(execFile)(
      'deploy/local/elasticsearch.sh',
      ['start', '--port', String(SECURE_PORT), '--secure'],
      {
        cwd: repoRoot,
      },
    );
    const response = await fetch(`${node}/_security/api_key`, {
      method: 'POST',
      headers: { authorization: admin, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'minato-test', expiration: '1h' }),
    });
    expect(response.status).toBe(200);
    encodedKey = ((await response.json()) as { encoded: string }).encoded;
  }, 240_000);

  it('accepts a client configured with a valid API key', async () => {
    const client = createSearchClient({ node, apiKey: encodedKey });
    try {
      const info = await checkSearchConnection(client, node);
      expect(info.version).toMatch(/^9\./);
    } finally {
      await client.close();
    }
  });

  it('refuses a wrong API key with a message naming ELASTICSEARCH_API_KEY', async () => {
    const wrong = Buffer.from('not-an-id:not-a-key').toString('base64');
    const client = createSearchClient({ node, apiKey: wrong });
    try {
      const attempt = checkSearchConnection(client, node);
      await expect(attempt).rejects.toBeInstanceOf(SearchAuthError);
      await expect(attempt).rejects.toThrow(
        /refused the credentials \(HTTP 401 security_exception\): check ELASTICSEARCH_API_KEY/,
      );
    } finally {
      await client.close();
    }
  });

  it('refuses a client with no credentials at all', async () => {
    const client = createSearchClient({ node });
    try {
      await expect(checkSearchConnection(client, node)).rejects.toBeInstanceOf(SearchAuthError);
    } finally {
      await client.close();
    }
  });
});
