// The worker's workflow bundle entry point: every workflow type it runs.
export { supportRequest } from './support-request';
export { contractReport } from './contract-report';
