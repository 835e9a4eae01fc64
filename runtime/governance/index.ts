export { createGovernance, type Governance, type GovernanceDeps } from './governance.ts'
