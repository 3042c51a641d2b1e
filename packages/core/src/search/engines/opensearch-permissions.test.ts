import { describe, expect, it } from 'vitest';
import { openSearchRole } from './opensearch-permissions.js';
import { requiredPrivileges, type SearchRole } from './required-privileges.js';

describe('openSearchRole', () => {
  it('maps every privilege of every role onto OpenSearch permissions', () => {
    for (const role of Object.keys(requiredPrivileges) as SearchRole[]) {
      expect(() => openSearchRole(role, 'torrents'), role).not.toThrow();
    }
  });

  it("grants the ingest worker _bulk and _aliases at the cluster level, where OpenSearch's security checks them", () => {
    const role = openSearchRole('ingest-worker', 'torrents');
    expect(role.cluster_permissions).toEqual([
      'cluster_monitor',
      'cluster_manage_index_templates',
      'indices:admin/aliases',
      'indices:data/write/bulk',
    ]);
    expect(role.index_permissions).toEqual([
      {
        index_patterns: ['torrents', 'torrents_v*'],
        allowed_actions: [
          'indices:admin/create',
          'indices:admin/mapping/put',
          'indices:admin/aliases',
          'indices:admin/aliases/get',
          'indices:admin/get',
          'indices:admin/mappings/get',
          'indices:monitor/settings/get',
          'indices:data/write/index',
          'indices:data/write/bulk*',
        ],
      },
    ]);
  });

  it("gives the sync worker _mget for the reconciler, and search only the read group on the alias's indexes", () => {
    expect(openSearchRole('sync-worker', 'torrents').cluster_permissions).toContain('indices:data/read/mget');
    expect(openSearchRole('search', 'torrents')).toEqual({
      cluster_permissions: ['indices:data/read/mget'],
      index_permissions: [{ index_patterns: ['torrents', 'torrents_v*'], allowed_actions: ['read'] }],
    });
  });

  it('lets the sync worker and backfill delete documents through _bulk, as the deletion sweep and orphan sweep do', () => {
    for (const role of ['sync-worker', 'backfill'] as const) {
      const granted = openSearchRole(role, 'torrents');
      expect(granted.cluster_permissions, role).toContain('indices:data/write/bulk');
      expect(granted.index_permissions[0]?.allowed_actions, role).toContain('indices:data/write/delete');
    }
  });

  it('lets only reindex delete indexes', () => {
    const deleters = (Object.keys(requiredPrivileges) as SearchRole[]).filter((role) =>
      openSearchRole(role, 'torrents').index_permissions.some((p) =>
        p.allowed_actions.includes('indices:admin/delete'),
      ),
    );
    expect(deleters).toEqual(['reindex']);
  });
});
