export { pipelineStatus, type PipelineStatus, type PipelineStatusSources } from './pipeline-status.js';
