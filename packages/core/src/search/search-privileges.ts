import { errors, type Client } from '@elastic/elasticsearch';
import type { Logger } from 'pino';
import { searchAuthError } from './search-connection.js';
import { isSecurityOff, unreachableNode } from './search-failures.js';
import { verifySearchPrivileges, type PrivilegesClient } from './privilege-check.js';
import type { SearchRole } from './required-privileges.js';

export interface CheckSearchPrivilegesOptions {
  client: Client;
  /** ELASTICSEARCH_NODE, for messages */
  node: string;
  /** ELASTICSEARCH_INDEX */
  alias: string;
  role: SearchRole;
  logger: Logger;
  /** the variable that holds the credentials, for the message */
  credential?: string;
}

/** `verifySearchPrivileges` through the full client (the workers and the CLI's other commands). */
export async function checkSearchPrivileges(options: CheckSearchPrivilegesOptions): Promise<void> {
  const { client, node, credential = 'ELASTICSEARCH_API_KEY' } = options;
  await verifySearchPrivileges({ ...options, client: privilegesOf(client, node, credential) });
}

// The full client's errors read the way the query side's client raises them (search-failures.ts).
function privilegesOf(client: Client, node: string, credential: string): PrivilegesClient {
  return {
    hasPrivileges: async (request) => {
      try {
        return await client.security.hasPrivileges(request);
      } catch (error) {
        if (
          error instanceof errors.ResponseError &&
          isSecurityOff({ status: error.statusCode, body: error.body })
        )
          return null;
        if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError)
          throw unreachableNode(node, error);
        throw searchAuthError(error, node, credential) ?? error;
      }
    },
  };
}
