export {
  addressOf,
  preflight,
  PREFLIGHT_TIMEOUT_MS,
  type CheckedDependency,
  type Need,
  type PreflightClients,
} from './preflight.js';
