import type { Config } from '../config/config.js';

/** One `host:port` of a sentinel or a cluster node. */
export interface HostPort {
  host: string;
  port: number;
}

interface RedisCredentials {
  username?: string | undefined;
  password?: string | undefined;
  /** connect over TLS (a `rediss://` URL, REDIS_TLS or REDIS_CA_FILE) */
  tls: boolean;
  /** PEM file of the CA that signed the servers' certificates */
  caFile?: string | undefined;
}

/** Where Minato's Redis is, in one of the three modes an operator runs (docs/redis.md). */
export type RedisTarget = RedisCredentials &
  (
    | { mode: 'standalone'; host: string; port: number; db: number }
    | { mode: 'sentinel'; sentinels: HostPort[]; name: string; sentinelPassword?: string | undefined }
    | { mode: 'cluster'; nodes: HostPort[] }
  );

export type RedisMode = RedisTarget['mode'];

/**
 * The Redis the config points at: REDIS_CLUSTER_NODES, else REDIS_SENTINELS, else REDIS_URL, else
 * REDIS_HOST/REDIS_PORT. The config's schema already refused a mix of modes and malformed values.
 */
export function redisTarget(config: Config): RedisTarget {
  const credentials: RedisCredentials = {
    username: config.REDIS_USERNAME,
    password: config.REDIS_PASSWORD,
    tls: config.REDIS_TLS || config.REDIS_CA_FILE !== undefined,
    caFile: config.REDIS_CA_FILE,
  };
  if (config.REDIS_CLUSTER_NODES) {
    return { ...credentials, mode: 'cluster', nodes: hostPorts(config.REDIS_CLUSTER_NODES) };
  }
  if (config.REDIS_SENTINELS) {
    return {
      ...credentials,
      mode: 'sentinel',
      sentinels: hostPorts(config.REDIS_SENTINELS),
      // the schema requires the name beside REDIS_SENTINELS
      name: config.REDIS_SENTINEL_NAME ?? '',
      sentinelPassword: config.REDIS_SENTINEL_PASSWORD,
    };
  }
  if (config.REDIS_URL) {
    const url = new URL(config.REDIS_URL);
    return {
      ...credentials,
      mode: 'standalone',
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : 6379,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
      username: url.username ? decodeURIComponent(url.username) : credentials.username,
      password: url.password ? decodeURIComponent(url.password) : credentials.password,
      tls: credentials.tls || url.protocol === 'rediss:',
    };
  }
  return { ...credentials, mode: 'standalone', host: config.REDIS_HOST, port: config.REDIS_PORT, db: 0 };
}

/** The target in words, for errors and logs (never its password): `127.0.0.1:6379`, `sentinel master "m" via …`. */
export function describeRedisTarget(target: RedisTarget): string {
  const list = (nodes: HostPort[]) => nodes.map((n) => `${n.host}:${n.port}`).join(',');
  switch (target.mode) {
    case 'standalone':
      return `${target.host}:${target.port}`;
    case 'sentinel':
      return `sentinel master "${target.name}" via ${list(target.sentinels)}`;
    case 'cluster':
      return `cluster ${list(target.nodes)}`;
  }
}

function hostPorts(list: string): HostPort[] {
  return list.split(',').map((part) => {
    const at = part.trim().lastIndexOf(':');
    return { host: part.trim().slice(0, at), port: Number(part.trim().slice(at + 1)) };
  });
}
