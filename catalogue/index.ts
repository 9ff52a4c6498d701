/**
 * The published support-level catalogue documents, oldest first, as raw JSON.
 * `domain/policy/catalogue.ts` validates and resolves them (`PUBLISHED_CATALOGUES`).
 *
 * A published file is never edited: a change of terms is a new `support-levels.vN.json` with a
 * new `catalogueVersion` and `effectiveFrom`, appended here.
 */
import supportLevelsV1 from './support-levels.v1.json';
import supportLevelsV2 from './support-levels.v2.json';

export const PUBLISHED_CATALOGUE_DOCUMENTS: readonly unknown[] = [supportLevelsV1, supportLevelsV2];
