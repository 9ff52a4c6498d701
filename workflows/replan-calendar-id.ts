/** The workflow id of a re-plan: one per (calendar, version), so starting it twice is harmless. */
export const replanWorkflowId = (calendarId: string, versionId: string) => `calendar-replan-${calendarId}-${versionId}`;
