// `node --import <this file> ...`: the process fails as soon as anything imports @elastic/elasticsearch,
// which proves that a command runs without the full client (README.md, CLI).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
