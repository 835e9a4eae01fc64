export { executeRun, releaseThroughGate, type PipelineDeps, type RunRequest, type RunOutcome } from './execute-run.ts'
export { accountingFailures, type FailureAccounting } from './failure-accounting.ts'
export { createReleaseCommit, ChangedMeanwhileError, type ReleaseCommit, type ReleaseEntry, type ReleaseStanding, type CommittedRelease } from './release-commit.ts'
