import { entryIssues, type DirectoryEntryInput } from '../../../domain/notification/directory-entry';
import { HTTPS_ONLY } from '../../../domain/notification/webhook-url';

const entry = (over: Partial<DirectoryEntryInput> = {}): DirectoryEntryInput => ({ name: 'Olga', kind: 'person', roles: ['team-lead'], email: 'olga@supplier.example', active: true, ...over });

describe('a directory entry', () => {
  it('with an e-mail, or an https webhook, is fine', () => {
    expect(entryIssues(entry(), HTTPS_ONLY)).toEqual([]);
    expect(entryIssues(entry({ email: undefined, kind: 'team', webhookUrl: 'https://hooks.example/ops' }), HTTPS_ONLY)).toEqual([]);
  });

  it('needs an e-mail or a webhook, and says so on both fields', () => {
    expect(entryIssues(entry({ email: undefined }), HTTPS_ONLY).map((i) => [i.field, i.rule])).toEqual([
      ['email', 'channel_required'],
      ['webhookUrl', 'channel_required'],
    ]);
  });

  it.each([
    ['http to the internet', 'http://hooks.example/x', 'https_required'],
    ['http to loopback, not allowed here', 'http://127.0.0.1:9999/x', 'https_required'],
    ['not a URL', 'hooks.example', 'url'],
    ['another scheme', 'ftp://hooks.example', 'https_required'],
  ])('refuses a webhook over %s, naming webhookUrl', (_what, webhookUrl, rule) => {
    expect(entryIssues(entry({ webhookUrl }), HTTPS_ONLY)).toEqual([expect.objectContaining({ field: 'webhookUrl', rule })]);
  });

  it('accepts http to loopback where the deployment allows it', () => {
    expect(entryIssues(entry({ webhookUrl: 'http://127.0.0.1:9999/x' }), { allowHttpLoopback: true })).toEqual([]);
  });

  it('refuses a role twice and the roles resolved per request', () => {
    expect(entryIssues(entry({ roles: ['team-lead', 'assignee', 'team-lead'] }), HTTPS_ONLY).map((i) => [i.field, i.rule])).toEqual([
      ['roles.1', 'request_bound_role'],
      ['roles.2', 'duplicate'],
    ]);
  });
});
