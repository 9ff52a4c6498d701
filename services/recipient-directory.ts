/**
 * The notification directory over the API: checks an entry (pure rules, then that its
 * quiet-hours calendar exists, shipped or defined at run time) and writes it with its audit row.
 */
import type { Knex } from 'knex';
import { entryIssues, type DirectoryEntryInput, type EntryIssue } from '../domain/notification/directory-entry';
import type { WebhookUrlPolicy } from '../domain/notification/webhook-url';
import type { Actor } from '../domain/request/snapshot';
import { deleteDirectoryEntry, putDirectoryEntry, type DirectoryEntry } from '../db/queries/recipient-directory';
import { missingReferences } from '../db/queries/policy/shared';

/** 422: the entry breaks a rule; each issue names its field. */
export class DirectoryEntryRefusedError extends Error {
  constructor(readonly issues: readonly EntryIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

export function createRecipientDirectory(db: Knex, urlPolicy: WebhookUrlPolicy) {
  return {
    async put(id: string, entry: DirectoryEntryInput, actor: Actor): Promise<{ created: boolean; entry: DirectoryEntry }> {
      const issues = entryIssues(entry, urlPolicy);
      if (entry.quietCalendarId !== undefined) {
        const missing = await missingReferences(db, [{ field: 'quietCalendarId', table: 'calendars', what: 'calendar', id: entry.quietCalendarId }]);
        issues.push(...missing.map((m) => ({ field: m.field, rule: 'unknown_reference', message: `unknown ${m.what} "${m.id}"` })));
      }
      if (issues.length > 0) throw new DirectoryEntryRefusedError(issues);
      return putDirectoryEntry(db, id, entry, actor);
    },
    delete: (id: string, actor: Actor) => deleteDirectoryEntry(db, id, actor),
  };
}

export type RecipientDirectory = ReturnType<typeof createRecipientDirectory>;
