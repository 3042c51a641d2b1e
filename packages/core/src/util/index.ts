export { MicroBatcher } from './micro-batcher.js';
export { settleWithLimit } from './map-limit.js';
export { Semaphore } from './semaphore.js';
export { within } from './within.js';
