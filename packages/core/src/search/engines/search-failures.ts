import { SearchAuthError, SearchResponseError, SearchUnavailableError } from '../../errors.js';
import { nodeList, type EngineName } from './search-client-options.js';

// How a failed search engine call is read, whichever client made it (the engine's full client of the workers,
// the query side's own client of `minato search`): the same failure must mean the same thing to both.

/** The engine's name in messages. */
export const ENGINE_LABEL: Record<EngineName, string> = {
  elasticsearch: 'Elasticsearch',
  opensearch: 'OpenSearch',
};

/** An error answer of Elasticsearch: its HTTP status and its parsed body. */
export interface ErrorAnswer {
  status: number | undefined;
  body: unknown;
}

/** A 401/403 as a SearchAuthError naming the variable to fix; null for any other answer. */
export function refusedCredentials(
  { status, body }: ErrorAnswer,
  node: string,
  credential: string,
  cause: unknown,
  engine: EngineName = 'elasticsearch',
): SearchAuthError | null {
  if (status !== 401 && status !== 403) return null;
  const error = (body as { error?: { type?: string; reason?: string } } | undefined)?.error;
  const type = error?.type ?? 'security_exception';
  const where = nodeOrigin(node);
  const message =
    status === 401
      ? `${ENGINE_LABEL[engine]} at ${where} refused the credentials (HTTP 401 ${type}): check ${credential}`
      : // A 403 authenticated the key: Elasticsearch's reason names the action refused and the privileges granting it.
        `${ENGINE_LABEL[engine]} at ${where} refused the request (HTTP 403 ${type}: ${(error?.reason ?? 'forbidden').slice(0, 300)}): check the privileges of ${credential}`;
  return new SearchAuthError(message, { node: where, status }, { cause });
}

// With security off the route does not exist: Elasticsearch answers 400 with a bare string error
// ("no handler found"), not a typed exception, which is how it tells apart from a real refusal.
/** True when the answer says the cluster runs without security (it has no `_security` API). */
export function isSecurityOff({ status, body }: ErrorAnswer): boolean {
  const error = (body as { error?: unknown } | undefined)?.error;
  return [400, 404, 405].includes(status ?? 0) && typeof error === 'string';
}

// Node's codes for a certificate that the trusted CAs do not vouch for.
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * A call that got no answer (refused, reset, timed out, or a certificate not trusted) as a
 * SearchUnavailableError naming the node, and what to fix when the socket's error says it. The full client
 * keeps no code of the socket's error: only the query side's client, which hands in the socket's own, gets a hint.
 */
export function unreachableNode(
  node: string,
  cause: unknown,
  engine: EngineName = 'elasticsearch',
): SearchUnavailableError {
  const where = nodeOrigin(node);
  const reason = cause instanceof Error ? cause.message : String(cause);
  const code =
    cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
  const fix =
    code === null
      ? ''
      : CERTIFICATE_CODES.has(code)
        ? ': set ELASTICSEARCH_CA_FILE to the CA that signed its certificate'
        : ': start it or correct ELASTICSEARCH_NODE';
  return new SearchUnavailableError(
    `${ENGINE_LABEL[engine]} at ${where} could not be reached (${reason})${fix}`,
    { node: where },
    { cause },
  );
}

/** The origins only (a node URL may carry user:password), comma-separated for a node list. */
export function nodeOrigin(node: string): string {
  const origins = nodeList(node).map((n) => (URL.canParse(n) ? new URL(n).origin : 'ELASTICSEARCH_NODE'));
  return origins.join(',');
}

/**
 * A client's error as the transports throw it (engine-transport.ts): a refusal, an error answer, or no answer at
 * all. `answer` is the error's status and body when the engine answered, null when it did not.
 */
export function engineFailure(
  engine: EngineName,
  node: string,
  path: string,
  answer: ErrorAnswer | null,
  cause: unknown,
): Error {
  if (answer === null) return unreachableNode(node, cause, engine);
  const refused = refusedCredentials(answer, node, 'ELASTICSEARCH_API_KEY', cause, engine);
  if (refused) return refused;
  const error = (answer.body as { error?: { type?: string; reason?: string } | string } | undefined)?.error;
  const type = typeof error === 'object' ? error.type : undefined;
  const what = type
    ? `${type}: ${typeof error === 'object' ? (error.reason ?? '') : ''}`
    : JSON.stringify(answer.body);
  return new SearchResponseError(
    `${ENGINE_LABEL[engine]} at ${nodeOrigin(node)} answered ${path} with HTTP ${answer.status} ${what.slice(0, 500)}`,
    { status: answer.status, type },
    { cause },
  );
}
