import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client as SearchClient } from '@elastic/elasticsearch';
import { privilegedIndexNames, type SearchPrivileges } from '@minato/core';
import { readFileSync } from 'node:fs';
import { repoRoot } from './worker-processes.js';

const run = promisify(execFile);
type RoleDescriptors = NonNullable<
  NonNullable<Parameters<SearchClient['security']['createApiKey']>[0]>['role_descriptors']
>;
// API keys are Elasticsearch's own (OpenSearch has none): these nodes are Elasticsearch, spoken to with its client.
// The two nodes with security on that the integration tier shares, each on a port of its own (the plain node is
// 9200). test/support/shared-elasticsearch-nodes.ts boots them as the tier starts: a boot takes 40–60 s.
/** The node with security on, over HTTP. */
export const SECURE_PORT = 9201;
/** The node with security on serving HTTPS with a certificate of a local CA. */
export const TLS_PORT = 9202;

/** The `deploy/local/elasticsearch.sh` options of the node with security on at `port`, HTTPS when `tls`. */
export function secureNodeFlags(port: number, { tls = false }: { tls?: boolean } = {}): string[] {
  return ['--port', String(port), tls ? '--tls' : '--secure'];
}

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
  /** invalidates a key `createApiKey` made: Elasticsearch answers 401 to it from then on */
  invalidateApiKey(encoded: string): Promise<void>;
  /** gives a key `createApiKey` made new privileges, as its owner does with the update API; effective at once */
  updateApiKey(encoded: string, roleDescriptors: RoleDescriptors): Promise<void>;
  close(): Promise<void>;
}

/** Starts (or finds) a node with security on at `port`, serving HTTPS with a local CA when `tls`. */
export async function startSecureElasticsearch(
  port: number,
  { tls = false }: { tls?: boolean } = {},
): Promise<SecureElasticsearch> {
  const flags = secureNodeFlags(port, { tls });
  await run('deploy/local/elasticsearch.sh', ['start', ...flags], { cwd: repoRoot });
  const caFile = tls
    ? (await run('deploy/local/elasticsearch.sh', ['ca-file', ...flags], { cwd: repoRoot })).stdout.trim()
    : undefined;
  const node = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const client = new SearchClient({ node, ...(caFile ? { tls: { ca: readFileSync(caFile) } } : {}) });
  const asAdmin = { headers: { authorization: adminAuthorization } };
  const createApiKey = async (name: string, roleDescriptors?: RoleDescriptors) => {
    const key = await client.security.createApiKey(
      { name, expiration: '1h', ...(roleDescriptors ? { role_descriptors: roleDescriptors } : {}) },
      asAdmin,
    );
    return key.encoded;
  };
  return {
    node,
    caFile,
    adminKey: await createApiKey('minato-test-admin'),
    createApiKey,
    async invalidateApiKey(encoded) {
      const { invalidated_api_keys: done } = await client.security.invalidateApiKey(
        { ids: [apiKeyId(encoded)] },
        asAdmin,
      );
      if (done.length !== 1) throw new Error(`API key ${apiKeyId(encoded)} was not invalidated`);
    },
    async updateApiKey(encoded, roleDescriptors) {
      await client.security.updateApiKey(
        { id: apiKeyId(encoded), role_descriptors: roleDescriptors },
        asAdmin,
      );
    },
    close: () => client.close(),
  };
}

/** The id of an encoded API key (base64 of `id:secret`). */
function apiKeyId(encoded: string): string {
  return Buffer.from(encoded, 'base64').toString('utf8').split(':')[0] ?? '';
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
