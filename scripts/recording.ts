// What scripts/record-histories.ts and scripts/record-upgrade-history.ts share: a request's
// history saved as the replay test reads it.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TEMPORAL_CLI } from '../infra/temporal-dev-server';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'test', 'workflow', 'histories');

/** Writes a workflow's history to test/workflow/histories/<name>.json. */
export async function saveHistory(temporalAddress: string, name: string, workflowId: string, runId?: string): Promise<void> {
  // The CLI writes the canonical proto-JSON that historyFromJSON (and the Web UI) read.
  const args = ['workflow', 'show', '--address', temporalAddress, '--workflow-id', workflowId, '--output', 'json', ...(runId ? ['--run-id', runId] : [])];
  const json = execFileSync(TEMPORAL_CLI, args, { maxBuffer: 64 * 1024 * 1024 }).toString();
  await writeFile(path.join(HISTORIES_DIR, `${name}.json`), json);
  console.log(`recorded ${name}: ${(JSON.parse(json) as { events: unknown[] }).events.length} events`);
}
