// Types of the page's calendar-month module (plain JS served to the browser), for the unit tests.
export declare function monthInZone(nowMs: number, zone: string): string;
