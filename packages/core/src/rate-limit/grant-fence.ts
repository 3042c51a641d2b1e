/** The node that took a token from the bucket, as the bucket's script read it in the step that granted. */
export interface GrantingNode {
  /** the node's `run_id` (INFO server): which process granted, whatever address a client reached it by */
  runId: string;
  /** replicas online on it when it granted (INFO replication, `state=online`): the ones holding its data */
  replicas: number;
}

/**
 * Decides whether a token the bucket granted may be spent on a TMDB call. Replication is asynchronous: a grant
 * the master made but had not replicated when a replica took over is unknown to the new master, whose bucket
 * grants that token again. A fence lets a replica spend only grants that survive a failover; a grant it refuses
 * is left unspent (one call fewer, never one more), and the bucket takes another token later.
 */
export interface GrantFence {
  confirm(node: GrantingNode): Promise<boolean>;
}
