export { QueueParking, type ParkedState, type Probe, type QueueParkingOptions } from './queue-parking.js';
export { dependencyProbes } from './dependency-probes.js';
export {
  readWorkerStates,
  WORKER_STATE_TTL_MS,
  WorkerStatePublisher,
  type WorkerState,
  type WorkerStatePublisherOptions,
} from './worker-state.js';
