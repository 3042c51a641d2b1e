export { QueueParking, type ParkedState, type Probe, type QueueParkingOptions } from './queue-parking.js';
export { dependencyProbes } from './dependency-probes.js';
