// Every workflow the worker runs. The worker bundles this file for Temporal's deterministic sandbox.
export { campaignWorkflow } from './campaign/workflow'
export { tokenRefreshWorkflow } from './token-refresh/workflow'
export { batchGenerationWorkflow } from './batch-generation/workflow'
export { approvalWorkflow } from './approval/workflow'
export { threadSummaryWorkflow } from './thread-summary/workflow'
export { publishPostWorkflow } from './publish-post/workflow'
export { postMetricsWorkflow } from './post-metrics/workflow'
