import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createSearchClient,
  privilegedIndexNames,
  type SearchClient,
  type SearchPrivileges,
} from '@minato/core';
import { repoRoot } from './worker-processes.js';

const run = promisify(execFile);
type RoleDescriptors = NonNullable<
  NonNullable<Parameters<SearchClient['security']['createApiKey']>[0]>['role_descriptors']
>;
/** The file-realm superuser that `deploy/local/elasticsearch.sh --secure` creates. */
export const adminUser = {
  username: 'minato-admin',
  password: process.env.ES_ADMIN_PASSWORD ?? 'minato-admin-pw',
};
const adminAuthorization =
  'Basic ' + Buffer.from(`${adminUser.username}:${adminUser.password}`).toString('base64');

export interface SecureElasticsearch {
  /** ELASTICSEARCH_NODE */
  node: string;
  /** ELASTICSEARCH_CA_FILE, for a TLS node */
  caFile: string | undefined;
  /** an unrestricted API key of the superuser, for the test's own clients */
  adminKey: string;
  /** a new API key of the superuser limited to `roleDescriptors` (all of its privileges without) */
  createApiKey(name: string, roleDescriptors?: RoleDescriptors): Promise<string>;
  close(): Promise<void>;
}

/** Starts (or finds) a node with security on at `port`, serving HTTPS with a local CA when `tls`. */
export async function startSecureElasticsearch(
  port: number,
  { tls = false }: { tls?: boolean } = {},
): Promise<SecureElasticsearch> {
  const flags = ['--port', String(port), tls ? '--tls' : '--secure'];
  await run('deploy/local/elasticsearch.sh', ['start', ...flags], { cwd: repoRoot });
  const caFile = tls
    ? (await run('deploy/local/elasticsearch.sh', ['ca-file', ...flags], { cwd: repoRoot })).stdout.trim()
    : undefined;
  const node = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const client: SearchClient = createSearchClient({ node, caFile });
  const createApiKey = async (name: string, roleDescriptors?: RoleDescriptors) => {
    const key = await client.security.createApiKey(
      { name, expiration: '1h', ...(roleDescriptors ? { role_descriptors: roleDescriptors } : {}) },
      { headers: { authorization: adminAuthorization } },
    );
    return key.encoded;
  };
  return {
    node,
    caFile,
    adminKey: await createApiKey('minato-test-admin'),
    createApiKey,
    close: () => client.close(),
  };
}

/** The role descriptors of an API key holding exactly `privileges` for the index alias `alias`. */
export function limitedTo(privileges: SearchPrivileges, alias: string): RoleDescriptors {
  return {
    minato: {
      cluster: [...privileges.cluster],
      indices: privileges.index.length
        ? [{ names: privilegedIndexNames(alias), privileges: [...privileges.index] }]
        : [],
    },
  };
}
