import { describe, expect, it } from 'vitest';
import { privilegedIndexNames, requiredPrivileges } from './required-privileges.js';
import { missingPrivileges } from './privilege-check.js';

describe('missingPrivileges', () => {
  it('names nothing when Elasticsearch granted everything', () => {
    const answer = { has_all_requested: true, cluster: { monitor: true }, index: {} };
    expect(missingPrivileges(answer, 'ELASTICSEARCH_API_KEY')).toEqual([]);
  });

  it('names each denied cluster and index privilege with the index it is missing on', () => {
    const answer = {
      has_all_requested: false,
      cluster: { monitor: true, manage_index_templates: false },
      index: {
        torrents: { create_index: true, index: true },
        'torrents_v*': { create_index: false, index: true },
      },
    };
    expect(missingPrivileges(answer, 'ELASTICSEARCH_API_KEY')).toEqual([
      'ELASTICSEARCH_API_KEY lacks cluster privilege "manage_index_templates"',
      'ELASTICSEARCH_API_KEY lacks index privilege "create_index" on "torrents_v*"',
    ]);
  });
});

describe('requiredPrivileges', () => {
  it('grants index privileges on the alias and on the pattern of its concrete indexes', () => {
    expect(privilegedIndexNames('torrents')).toEqual(['torrents', 'torrents_v*']);
  });

  it('gives the sync worker what the ingest worker has plus read, for the reconciler, and delete, for deleted rows', () => {
    const ingest = requiredPrivileges['ingest-worker'];
    const sync = requiredPrivileges['sync-worker'];
    expect(sync.cluster).toEqual(ingest.cluster);
    expect(sync.index).toEqual([...ingest.index, 'read', 'delete']);
  });
});
