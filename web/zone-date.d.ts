// Types of the page's zone-date module (plain JS served to the browser), for the unit tests.
export declare function dateInZone(nowMs: number, zone: string): string;
export declare function monthInZone(nowMs: number, zone: string): string;
