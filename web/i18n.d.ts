// Types of the page's texts module (plain JS served to the browser), for the unit tests.
export let lang: 'en' | 'ru';
export function setLang(l: 'en' | 'ru'): void;
export function t(key: string, vars?: Record<string, unknown>): string;
export function formatInstant(iso: string | null | undefined, zone: string): string;
export function formatDuration(ms: number): string;
export function formatHours(h: number | null | undefined): string;
export function formatPct(p: number | null | undefined): string;
