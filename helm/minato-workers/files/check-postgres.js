// Run by the migration Job before `minato migrate`: names the dependency it cannot reach, so that
// `kubectl logs job/<release>-migrate -c check-postgres` (and the pod's termination message) says what to fix.
const net = require('node:net');

const fail = (reason) => {
  console.error(`cannot reach PostgreSQL: ${reason}`);
  process.exit(1);
};
let url;
try {
  url = new URL(process.env.DATABASE_URL ?? '');
} catch {
  fail('DATABASE_URL is not a postgres://user:password@host:port/db URL');
}
const host = url.hostname;
const port = Number(url.port || 5432);
const socket = net.connect({ host, port, timeout: 5000 });
socket.once('connect', () => {
  socket.end();
  process.exit(0);
});
socket.once('timeout', () => fail(`${host}:${port} (from DATABASE_URL) did not answer within 5 s`));
socket.once('error', (error) => fail(`${host}:${port} (from DATABASE_URL): ${error.code ?? error.message}`));
