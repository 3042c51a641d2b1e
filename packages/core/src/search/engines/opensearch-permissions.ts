import { privilegedIndexNames, requiredPrivileges, type SearchRole } from './required-privileges.js';

/**
 * The body of `PUT _plugins/_security/api/roles/<name>` that grants a role what it needs on OpenSearch, whose
 * security plugin names actions and its own action groups, not Elasticsearch's privileges.
 */
export interface OpenSearchRole {
  cluster_permissions: string[];
  index_permissions: { index_patterns: string[]; allowed_actions: string[] }[];
}

interface Grant {
  cluster?: readonly string[];
  index?: readonly string[];
}

// Each Elasticsearch privilege of required-privileges.ts as OpenSearch permissions, from OpenSearch's
// "Permissions" and "Default action groups" pages. The security plugin checks some multi-index requests at the
// cluster level: `_bulk` (indices:data/write/bulk), `_mget` (indices:data/read/mget) and `_aliases`
// (indices:admin/aliases) need a cluster permission beside the index one.
const GRANTS: Record<string, Grant> = {
  monitor: { cluster: ['cluster_monitor'] },
  manage_index_templates: { cluster: ['cluster_manage_index_templates'] },
  create_index: { index: ['indices:admin/create', 'indices:admin/mapping/put'] },
  'indices:admin/aliases': {
    cluster: ['indices:admin/aliases'],
    index: ['indices:admin/aliases', 'indices:admin/aliases/get'],
  },
  view_index_metadata: {
    index: [
      'indices:admin/get',
      'indices:admin/mappings/get',
      'indices:admin/aliases/get',
      'indices:monitor/settings/get',
    ],
  },
  index: {
    cluster: ['indices:data/write/bulk'],
    index: ['indices:data/write/index', 'indices:data/write/bulk*'],
  },
  // Deletes go in a `_bulk` too (the deletion sweep, backfill --full's orphans).
  delete: {
    cluster: ['indices:data/write/bulk'],
    index: ['indices:data/write/delete', 'indices:data/write/bulk*'],
  },
  read: { cluster: ['indices:data/read/mget'], index: ['read'] },
  maintenance: { index: ['indices:admin/refresh*'] },
  delete_index: { index: ['indices:admin/delete'] },
};

/** The OpenSearch role that grants `role` what it needs on `alias` and its concrete indexes (README, Security). */
export function openSearchRole(role: SearchRole, alias: string): OpenSearchRole {
  const { cluster, index } = requiredPrivileges[role];
  const grants = [...cluster, ...index].map((privilege) => {
    const grant = GRANTS[privilege];
    if (!grant) throw new Error(`no OpenSearch permissions are known for the privilege "${privilege}"`);
    return grant;
  });
  const unique = (names: readonly string[]) => [...new Set(names)];
  const indexActions = unique(grants.flatMap((g) => g.index ?? []));
  return {
    cluster_permissions: unique(grants.flatMap((g) => g.cluster ?? [])),
    index_permissions:
      indexActions.length === 0
        ? []
        : [{ index_patterns: privilegedIndexNames(alias), allowed_actions: indexActions }],
  };
}
