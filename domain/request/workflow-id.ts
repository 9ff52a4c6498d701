/**
 * Each request is one workflow, `support-request-<request id>`: the id the API starts,
 * signals and links to, and the Web UI shows. Built here only.
 *
 * @example requestWorkflowId('SR-7Q…') // 'support-request-SR-7Q…'
 */
export const REQUEST_WORKFLOW_ID_PREFIX = 'support-request-';

export function requestWorkflowId(requestId: string): string {
  return `${REQUEST_WORKFLOW_ID_PREFIX}${requestId}`;
}
