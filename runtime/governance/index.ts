export { createGovernance, type Governance } from './governance.ts'
export { auditedChange, type Audit, type GovernanceDeps } from './governance-deps.ts'
