import { SearchAuthError, SearchReadOnlyError, SearchUnavailableError } from '../../errors.js';
import type { DocumentVersion, SearchEngine } from '../engines/search-engine.js';

/** One document to delete, at an external version above the last one written for its row. */
export type DocumentDeletion = DocumentVersion;

/**
 * `deleted`: the document was there and is gone. `absent`: there was none (never indexed, or deleted already);
 * Elasticsearch still keeps the version as a tombstone. `superseded`: it holds this version or a newer one, so
 * a newer write of the hash than the deletion is there, which is for that write's row to answer for.
 */
export type DeletionOutcome = 'deleted' | 'absent' | 'superseded';

/**
 * Deletes documents in one `_bulk` with external versions, so a write of the deleted row still in flight
 * (older version) is refused as stale instead of bringing the document back. Settles every item or throws:
 * an outage (unreachable, 429/5xx, a write block, refused credentials) throws the error its caller parks on,
 * so the deletions stay pending in PostgreSQL and go again on the next round.
 */
export async function deleteDocuments(
  engine: SearchEngine,
  index: string,
  deletions: readonly DocumentDeletion[],
): Promise<Map<string, DeletionOutcome>> {
  const outcomes = new Map<string, DeletionOutcome>();
  if (deletions.length === 0) return outcomes;
  let response;
  try {
    response = await engine.bulkDelete(index, deletions);
  } catch (error) {
    // A refusal keeps its own class (the caller's parking tells the two apart); any other failure is an outage.
    throw error instanceof SearchAuthError
      ? error
      : new SearchUnavailableError(
          `deleting ${deletions.length} documents from ${index} failed: ${(error as Error).message}`,
          { index },
          { cause: error },
        );
  }
  response.items.forEach((result, i) => {
    const deletion = deletions[i];
    if (!deletion) return;
    if (result.status === 200) outcomes.set(deletion.id, 'deleted');
    else if (result.error?.type === 'index_not_found_exception') {
      // No index yet (a worker puts it in place at start-up): no tombstone could be kept, so the deletion waits.
      throw new SearchUnavailableError(`${index} does not exist yet; ${deletion.id} waits for it`, {
        index,
        id: deletion.id,
      });
    } else if (result.status === 404) outcomes.set(deletion.id, 'absent');
    else if (result.status === 409) outcomes.set(deletion.id, 'superseded');
    else if (result.error?.type === 'cluster_block_exception') {
      throw new SearchReadOnlyError(
        `${index} refuses the deletion of ${deletion.id}: ${result.error.reason}`,
        {
          index,
          id: deletion.id,
        },
      );
    } else {
      throw new SearchUnavailableError(
        `the search engine did not delete ${deletion.id} from ${index}: ${result.status} ${result.error?.type ?? ''}`,
        { index, id: deletion.id, status: result.status },
      );
    }
  });
  return outcomes;
}
