export { configSchema, loadConfig, secretVariables, type Config } from './config.js';
