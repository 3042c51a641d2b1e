import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults every variable to the local services and the seed tunables', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      REDIS_HOST: '127.0.0.1',
      REDIS_PORT: 6379,
      DATABASE_URL: 'postgres://minato:minato@127.0.0.1:5432/minato',
      DATABASE_POOL_MAX: 10,
      DATABASE_PREPARED_STATEMENTS: true,
      ELASTICSEARCH_NODE: 'http://127.0.0.1:9200',
      ELASTICSEARCH_INDEX: 'torrents',
      TMDB_BASE_URL: 'https://api.themoviedb.org/3',
      ES_BUFFER_MAX_DOCS: 500,
      ES_BUFFER_MAX_WAIT_MS: 5000,
      TMDB_RATE_CAPACITY: 20,
      TMDB_RATE_REFILL_PER_SEC: 2,
      ENRICHMENT_CONCURRENCY: 5,
      SYNC_CONCURRENCY: 10,
    });
  });

  it.each([
    [
      'ELASTICSEARCH_NODE',
      'localhost:9200',
      /^ELASTICSEARCH_NODE must be an http\(s\) URL like http:\/\/host:port, or several separated by commas, got "localhost:9200"$/,
    ],
    [
      'SEARCH_NODES',
      'http://127.0.0.1:9230,127.0.0.1:9231',
      /^SEARCH_NODES must be an http\(s\) URL like http:\/\/host:port, or several separated by commas, got "http:\/\/127.0.0.1:9230,127.0.0.1:9231"$/,
    ],
    ['SEARCH_ENGINE', 'solr', /^SEARCH_ENGINE must be one of elasticsearch, opensearch, got "solr"$/],
    ['REDIS_PORT', 'abc', /^REDIS_PORT must be a number, got "abc"$/],
    ['ES_BUFFER_MAX_DOCS', '-5', /^ES_BUFFER_MAX_DOCS must be greater than 0, got "-5"$/],
    ['DATABASE_POOL_MAX', '0', /^DATABASE_POOL_MAX must be greater than 0, got "0"$/],
    [
      'LOG_LEVEL',
      'loud',
      /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"$/,
    ],
  ])('rejects %s=%s with one message naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('never prints a secret it rejects', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:hunter2@db/x' })).toThrow(
      /DATABASE_URL .* got \(hidden\)$/,
    );
  });

  it("hides the password of a rejected URL's user:password@, whatever else is wrong with it", () => {
    expect(() => loadConfig({ ELASTICSEARCH_NODE: 'elastic:s3cret-pass@127.0.0.1:9200' })).toThrow(
      /^ELASTICSEARCH_NODE .*, got "elastic:\(hidden\)@127\.0\.0\.1:9200"$/,
    );
    expect(() => loadConfig({ ELASTICSEARCH_NODE: 'ftp://elastic:s3cret-pass@es:9200' })).toThrow(
      /got "ftp:\/\/elastic:\(hidden\)@es:9200"$/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ REDIS_PASSWORD: '', METRICS_PORT: '' })).toMatchObject({
      REDIS_PASSWORD: undefined,
      METRICS_PORT: 9464,
    });
  });
});

describe('loadConfig, TLS variables', () => {
  it('takes CA files that exist and reads REDIS_TLS as a flag', () => {
    const here = new URL(import.meta.url).pathname;
    const config = loadConfig({ ELASTICSEARCH_CA_FILE: here, REDIS_CA_FILE: here, REDIS_TLS: 'true' });
    expect(config).toMatchObject({ ELASTICSEARCH_CA_FILE: here, REDIS_CA_FILE: here, REDIS_TLS: true });
    expect(loadConfig({}).REDIS_TLS).toBe(false);
    expect(loadConfig({ REDIS_TLS: '0' }).REDIS_TLS).toBe(false);
  });

  it.each([
    [
      'ELASTICSEARCH_CA_FILE',
      '/nonexistent/ca.pem',
      /^ELASTICSEARCH_CA_FILE must be the path of a readable file, got "\/nonexistent\/ca.pem"$/,
    ],
    ['REDIS_CA_FILE', '/nonexistent/ca.pem', /^REDIS_CA_FILE must be the path of a readable file/],
    ['REDIS_TLS', 'yes', /^REDIS_TLS must be one of 0, 1, true, false, got "yes"$/],
  ])('rejects %s=%s naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
