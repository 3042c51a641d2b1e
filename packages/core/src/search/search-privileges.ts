import { errors, type Client } from '@elastic/elasticsearch';
import type { Logger } from 'pino';
import { SearchPrivilegeError } from '../errors.js';
import { searchAuthError } from './search-connection.js';
import { privilegedIndexNames, requiredPrivileges, type SearchRole } from './required-privileges.js';

/** What `_security/user/_has_privileges` answers, reduced to the parts the check reads. */
export interface HasPrivilegesAnswer {
  has_all_requested: boolean;
  cluster: Record<string, boolean>;
  index: Record<string, Record<string, boolean>>;
}

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

/**
 * Asks Elasticsearch whether the credentials hold every privilege `role` needs and stops start-up with a
 * SearchPrivilegeError naming each missing one. A cluster without security has no such API (the call
 * answers a 4xx without an error type): there is nothing to check then. An unreachable cluster is not a
 * reason to refuse to start (the workers wait for it), so that case only logs.
 */
export async function checkSearchPrivileges(options: CheckSearchPrivilegesOptions): Promise<void> {
  const { client, node, alias, role, logger, credential = 'ELASTICSEARCH_API_KEY' } = options;
  const required = requiredPrivileges[role];
  if (required.cluster.length === 0 && required.index.length === 0) return;
  let answer: HasPrivilegesAnswer;
  try {
    answer = await client.security.hasPrivileges({
      cluster: [...required.cluster],
      index: required.index.length
        ? [{ names: privilegedIndexNames(alias), privileges: [...required.index] }]
        : [],
    });
  } catch (error) {
    if (isSecurityDisabled(error)) return;
    const refused = searchAuthError(error, node, credential);
    if (refused) throw refused;
    if (error instanceof errors.ConnectionError || error instanceof errors.TimeoutError) {
      logger.warn({ err: error, role }, 'Elasticsearch unreachable: privileges not checked at start-up');
      return;
    }
    throw error;
  }
  const missing = missingPrivileges(answer, credential);
  if (missing.length > 0) {
    const who = role.endsWith('-worker') ? `the ${role}` : `minato ${role}`;
    throw new SearchPrivilegeError(`${missing.join('; ')} (${who} needs them: README.md, Security)`, {
      role,
      missing,
    });
  }
}

/** One phrase per privilege the answer denies, e.g. `X lacks index privilege "read" on "torrents"`. */
export function missingPrivileges(answer: HasPrivilegesAnswer, credential: string): string[] {
  if (answer.has_all_requested) return [];
  const cluster = Object.entries(answer.cluster)
    .filter(([, granted]) => !granted)
    .map(([privilege]) => `${credential} lacks cluster privilege "${privilege}"`);
  const index = Object.entries(answer.index).flatMap(([name, privileges]) =>
    Object.entries(privileges)
      .filter(([, granted]) => !granted)
      .map(([privilege]) => `${credential} lacks index privilege "${privilege}" on "${name}"`),
  );
  return [...cluster, ...index];
}

// With security off the route does not exist: Elasticsearch answers 400 with a bare string error
// ("no handler found"), not a typed exception, which is how it tells apart from a real refusal.
function isSecurityDisabled(error: unknown): boolean {
  if (!(error instanceof errors.ResponseError)) return false;
  const body = error.body as { error?: unknown } | undefined;
  return [400, 404, 405].includes(error.statusCode ?? 0) && typeof body?.error === 'string';
}
