import { CommanderError, InvalidArgumentError } from 'commander';
import type * as Errors from '@minato/core/errors';

/** The exit status of each kind of failure: documented in `minato --help` and the README. */
export const EXIT_STATUS = {
  /** a bug or an unexpected answer: the line says what, `--verbose` shows the stack */
  unexpected: 1,
  /** a wrong argument or option */
  usage: 2,
  postgres: 3,
  redis: 4,
  elasticsearch: 5,
} as const;

export const EXIT_STATUS_HELP = `Exit status:
  0  done
  1  unexpected error (--verbose prints its stack)
  2  wrong arguments or options (an info hash that is not one, an unknown option)
  3  PostgreSQL unreachable, refusing the login, or not migrated (run \`minato migrate\`)
  4  Redis unreachable or refusing the password
  5  Elasticsearch unreachable, refusing the credentials or lacking a privilege, or without the index`;

/**
 * The one line a failed command prints and its exit status. An expected condition (a service missing, a bad
 * argument, an error Minato raises on purpose) is its message alone; anything else is a bug, named as one.
 */
export function failureReport(error: unknown, errors: typeof Errors): { line: string; status: number } {
  if (error instanceof errors.DependencyUnavailableError) {
    return { line: `minato: ${error.message}`, status: EXIT_STATUS[error.dependency] };
  }
  // A command's own check of its arguments throws InvalidArgumentError; commander prints the errors it finds
  // itself (and `--help` ends as one with status 0) before it throws them.
  if (error instanceof InvalidArgumentError)
    return { line: `minato: ${error.message}`, status: EXIT_STATUS.usage };
  if (error instanceof CommanderError)
    return { line: '', status: error.exitCode === 0 ? 0 : EXIT_STATUS.usage };
  // Bad input (an info hash that is not one) will never succeed: a wrong argument.
  if (errors.isPermanent(error)) return { line: `minato: ${error.message}`, status: EXIT_STATUS.usage };
  // A key that lacks a privilege is Elasticsearch's answer about the credentials, like a refused key.
  if (error instanceof errors.SearchPrivilegeError) {
    return { line: `minato: ${error.message}`, status: EXIT_STATUS.elasticsearch };
  }
  if (error instanceof errors.MinatoError) {
    const dependency = error.outage?.dependency;
    const status = dependency && dependency !== 'tmdb' ? EXIT_STATUS[dependency] : EXIT_STATUS.unexpected;
    return { line: `minato: ${error.message}`, status };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    line: `minato: unexpected error: ${message} (run with --verbose for the stack)`,
    status: EXIT_STATUS.unexpected,
  };
}
