#!/usr/bin/env node
// Prints a CONSOLE_USERS_FILE line for a user: `node dist/hash-password.js NAME < password-file`. The password is
// read from standard input, so it is never in the shell's history or the process list.
import { text } from 'node:stream/consumers';
import { hashPassword } from './password-hash.js';

const name = process.argv[2] ?? '';
if (!/^[^:\s]+$/.test(name)) {
  process.stderr.write(
    `usage: hash-password.js NAME < password (NAME without ':' or spaces, got "${name}")\n`,
  );
  process.exit(2);
}
const password = (await text(process.stdin)).replace(/\r?\n$/, '');
if (password === '') {
  process.stderr.write('hash-password.js: no password on standard input\n');
  process.exit(2);
}
process.stdout.write(`${name}:${await hashPassword(password)}\n`);
