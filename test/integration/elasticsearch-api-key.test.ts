import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSearchConnection, createSearchEngine, SearchAuthError } from '@minato/core';
import {
  SECURE_PORT,
  startSecureElasticsearch,
  type SecureElasticsearch,
} from '../support/secure-elasticsearch.js';

// A second node with security on: the default test cluster runs without it.
describe('ELASTICSEARCH_API_KEY against a cluster with security on', () => {
  let es: SecureElasticsearch;
  let node = '';
  let encodedKey = '';

  beforeAll(async () => {
    es = await startSecureElasticsearch(SECURE_PORT);
    node = es.node;
    encodedKey = await es.createApiKey('minato-test');
  }, 240_000);
  afterAll(() => es.close());

  it('accepts a client configured with a valid API key', async () => {
    const client = createSearchEngine({ node, apiKey: encodedKey });
    try {
      const info = await checkSearchConnection(client);
      expect(info.engine).toBe('elasticsearch');
      expect(info.version).toMatch(/^9\./);
    } finally {
      await client.close();
    }
  });

  it('refuses a wrong API key with a message naming ELASTICSEARCH_API_KEY', async () => {
    const wrong = Buffer.from('not-an-id:not-a-key').toString('base64');
    const client = createSearchEngine({ node, apiKey: wrong });
    try {
      const attempt = checkSearchConnection(client);
      await expect(attempt).rejects.toBeInstanceOf(SearchAuthError);
      await expect(attempt).rejects.toThrow(
        /refused the credentials \(HTTP 401 security_exception\): check ELASTICSEARCH_API_KEY/,
      );
    } finally {
      await client.close();
    }
  });

  it('refuses a client with no credentials at all', async () => {
    const client = createSearchEngine({ node });
    try {
      await expect(checkSearchConnection(client)).rejects.toBeInstanceOf(SearchAuthError);
    } finally {
      await client.close();
    }
  });
});
