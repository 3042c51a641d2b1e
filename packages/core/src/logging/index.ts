export {
  createLogger,
  componentLogger,
  componentPrefixes,
  type Component,
  type Logger,
  type LoggerOptions,
} from './logger.js';
