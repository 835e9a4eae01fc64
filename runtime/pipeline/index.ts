export { executeRun, type PipelineDeps, type RunRequest, type RunOutcome } from './execute-run.ts'
export { accountingFailures, type FailureAccounting } from './failure-accounting.ts'
