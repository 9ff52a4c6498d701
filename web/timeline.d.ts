// Types of the page's timeline module (plain JS served to the browser), for the unit tests.
export interface TimelineLine {
  title: string;
  detail: string | null;
  tone?: 'risk' | 'breached';
}
export function describeEvent(e: { type: string; data?: Record<string, unknown> | null }, zone: string): TimelineLine;
export function describeNotification(n: { recipient: string | null; channel: string; subject: string; status: string; lastError: string | null }): TimelineLine;
export function word(prefix: string, v: unknown): string;
