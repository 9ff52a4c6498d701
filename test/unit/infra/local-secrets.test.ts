import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeSecret, localSecret } from '../../../infra/local-secrets';

describe('local secrets for npm start', () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'secrets-')), 'data');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('generates a secret once, keeps it in a private file and reuses it', () => {
    const first = localSecret(dir, 'webhook-signing-secret', 'WEBHOOK_SIGNING_SECRET', 'local-whsec-', {});
    const file = path.join(dir, 'webhook-signing-secret');
    expect(first).toEqual({ value: expect.stringMatching(/^local-whsec-[A-Za-z0-9_-]{43}$/), source: { file } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.value);
    expect(localSecret(dir, 'webhook-signing-secret', 'WEBHOOK_SIGNING_SECRET', 'local-whsec-', {}).value).toBe(first.value);
    // Long enough for the worker's check (at least 16 characters).
    expect(first.value.length).toBeGreaterThanOrEqual(16);
  });

  it('the environment wins, and its value is never printed', () => {
    const s = localSecret(dir, 'webhook-signing-secret', 'WEBHOOK_SIGNING_SECRET', 'x-', { WEBHOOK_SIGNING_SECRET: 'from-the-environment-123' });
    expect(s).toEqual({ value: 'from-the-environment-123', source: { env: 'WEBHOOK_SIGNING_SECRET' } });
    expect(describeSecret(s)).toBe('$WEBHOOK_SIGNING_SECRET');
    expect(() => statSync(path.join(dir, 'webhook-signing-secret'))).toThrow();
  });
});
