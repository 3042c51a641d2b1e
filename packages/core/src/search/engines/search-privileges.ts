import type { Logger } from 'pino';
import { verifySearchPrivileges } from './privilege-check.js';
import type { SearchRole } from './required-privileges.js';
import type { SearchEngine } from './search-engine.js';

export interface CheckSearchPrivilegesOptions {
  engine: SearchEngine;
  /** ELASTICSEARCH_INDEX */
  alias: string;
  role: SearchRole;
  logger: Logger;
  /** the variable that holds the credentials, for the message */
  credential?: string;
}

/** `verifySearchPrivileges` through the engine of the workers and the CLI's other commands. */
export async function checkSearchPrivileges(options: CheckSearchPrivilegesOptions): Promise<void> {
  await verifySearchPrivileges({ ...options, client: options.engine });
}
