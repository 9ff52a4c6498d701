// Types of the page's report-period module (plain JS served to the browser), for the unit tests.
export declare const REPORT_ZONE_OFFSET: string;
export declare function defaultReportPeriod(nowMs: number): { from: string; to: string };
