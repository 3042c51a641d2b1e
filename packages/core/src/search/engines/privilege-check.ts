import type { Logger } from 'pino';
import { SearchPrivilegeError, SearchUnavailableError } from '../../errors.js';
import { privilegedIndexNames, requiredPrivileges, type SearchRole } from './required-privileges.js';

/** What `_security/user/_has_privileges` answers, reduced to the parts the check reads. */
export interface HasPrivilegesAnswer {
  has_all_requested: boolean;
  cluster: Record<string, boolean>;
  index: Record<string, Record<string, boolean>>;
}

/** What the check asks `_security/user/_has_privileges` for. */
export interface HasPrivilegesRequest {
  cluster: string[];
  index: { names: string[]; privileges: string[] }[];
}

/**
 * The one call the check makes, through whichever client the process has: the answer, or null when the
 * cluster runs without security (it has no such API); a SearchAuthError when the credentials are refused and
 * a SearchUnavailableError when the cluster cannot be reached.
 */
export interface PrivilegesClient {
  hasPrivileges(request: HasPrivilegesRequest): Promise<HasPrivilegesAnswer | null>;
}

export interface VerifySearchPrivilegesOptions {
  client: PrivilegesClient;
  /** ELASTICSEARCH_INDEX */
  alias: string;
  role: SearchRole;
  /**
   * where an unreachable cluster is reported before going on (a worker waits for the cluster); without one, the
   * SearchUnavailableError is thrown (a command that needs the cluster now, and need not load a logger)
   */
  logger?: Logger;
  /** the variable that holds the credentials, for the message */
  credential?: string;
}

/**
 * Asks Elasticsearch whether the credentials hold every privilege `role` needs and stops start-up with a
 * SearchPrivilegeError naming each missing one. A cluster without security has nothing to check. An
 * unreachable cluster is not a reason for a worker to refuse to start (it waits for the cluster), so that case
 * only logs when there is a logger.
 */
export async function verifySearchPrivileges(options: VerifySearchPrivilegesOptions): Promise<void> {
  const { client, alias, role, logger, credential = 'ELASTICSEARCH_API_KEY' } = options;
  const required = requiredPrivileges[role];
  if (required.cluster.length === 0 && required.index.length === 0) return;
  let answer: HasPrivilegesAnswer | null;
  try {
    answer = await client.hasPrivileges({
      cluster: [...required.cluster],
      index: required.index.length
        ? [{ names: privilegedIndexNames(alias), privileges: [...required.index] }]
        : [],
    });
  } catch (error) {
    if (!(error instanceof SearchUnavailableError) || !logger) throw error;
    logger.warn({ err: error, role }, 'Elasticsearch unreachable: privileges not checked at start-up');
    return;
  }
  const missing = answer === null ? [] : missingPrivileges(answer, credential);
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
