import { createHash } from 'node:crypto';
import { bootstrapHash, generateKey, hashSecret, KEY_ID_PATTERN, matchesBootstrapSecret, parseKey, verifySecret } from '../../../api/auth/keys';
import { authSettingsFromEnv } from '../../../api/auth/settings';

describe('API key strings', () => {
  test('a generated key is sla_<key id>_<43-char secret>; only the hash of the secret is kept', () => {
    const g = generateKey();
    expect(g.key).toMatch(/^sla_key_[0-9a-z]{20}_[A-Za-z0-9_-]{43}$/);
    expect(g.id).toMatch(KEY_ID_PATTERN);
    expect(g.key.startsWith(`sla_${g.id}_`)).toBe(true);
    const parsed = parseKey(g.key)!;
    expect(parsed.id).toBe(g.id);
    expect(g.secretHash).toBe(createHash('sha256').update(parsed.secret).digest('hex'));
    expect(g.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(g.key).not.toContain(g.secretHash);
    // The prefix shown to operators: the id and four characters of the secret, no more.
    expect(g.prefix).toBe(g.key.slice(0, `sla_${g.id}_`.length + 4));
  });

  test('keys are unique and random', () => {
    const keys = Array.from({ length: 200 }, () => generateKey());
    expect(new Set(keys.map((k) => k.id)).size).toBe(200);
    expect(new Set(keys.map((k) => k.secretHash)).size).toBe(200);
  });

  test('secrets containing "_" still parse (the id has a fixed shape)', () => {
    const key = `sla_key_abcdefghjkmnpqrstvwx_${'_'.repeat(10)}${'a'.repeat(33)}`;
    expect(parseKey(key)).toEqual({ id: 'key_abcdefghjkmnpqrstvwx', secret: `${'_'.repeat(10)}${'a'.repeat(33)}` });
  });

  test.each([
    ['empty', ''],
    ['no prefix', 'key_abcdefghjkmnpqrstvwx_' + 'a'.repeat(43)],
    ['short secret', 'sla_key_abcdefghjkmnpqrstvwx_' + 'a'.repeat(42)],
    ['long secret', 'sla_key_abcdefghjkmnpqrstvwx_' + 'a'.repeat(44)],
    ['bad id alphabet', 'sla_key_ABCDEFGHJKMNPQRSTVWX_' + 'a'.repeat(43)],
    ['short id', 'sla_key_abc_' + 'a'.repeat(43)],
    ['whitespace', ' sla_key_abcdefghjkmnpqrstvwx_' + 'a'.repeat(43)],
    ['trailing newline', 'sla_key_abcdefghjkmnpqrstvwx_' + 'a'.repeat(43) + '\n'],
  ])('malformed keys do not parse: %s', (_label, key) => {
    expect(parseKey(key)).toBeUndefined();
  });

  test('verifySecret accepts the secret and nothing else', () => {
    const g = generateKey();
    const { secret } = parseKey(g.key)!;
    expect(verifySecret(secret, g.secretHash)).toBe(true);
    const flipped = (secret[0] === 'A' ? 'B' : 'A') + secret.slice(1);
    expect(verifySecret(flipped, g.secretHash)).toBe(false);
    expect(verifySecret(secret.slice(0, -1), g.secretHash)).toBe(false);
    expect(verifySecret('', g.secretHash)).toBe(false);
    // A damaged stored hash is never equal (and never throws on the length mismatch).
    expect(verifySecret(secret, g.secretHash.slice(0, 10))).toBe(false);
    expect(verifySecret(secret, 'not hex')).toBe(false);
    expect(hashSecret(secret)).toBe(g.secretHash);
  });

  test('comparisons go through crypto.timingSafeEqual on equal-length digests', () => {
    const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    try {
      // Re-import so the module under test binds to the spied function.
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const keys = require('../../../api/auth/keys') as typeof import('../../../api/auth/keys');
        const g = keys.generateKey();
        keys.verifySecret(parseKey(g.key)!.secret, g.secretHash);
        keys.matchesBootstrapSecret('short', keys.bootstrapHash('x'.repeat(40)));
      });
      expect(spy).toHaveBeenCalledTimes(2);
      for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
    } finally {
      spy.mockRestore();
    }
  });

  test('the bootstrap secret matches exactly, whatever the lengths presented', () => {
    const secret = 'b'.repeat(40);
    const hash = bootstrapHash(secret);
    expect(matchesBootstrapSecret(secret, hash)).toBe(true);
    expect(matchesBootstrapSecret(secret + 'b', hash)).toBe(false);
    expect(matchesBootstrapSecret(secret.slice(1), hash)).toBe(false);
    expect(matchesBootstrapSecret('', hash)).toBe(false);
  });
});

describe('authentication settings', () => {
  test('defaults: no bootstrap admin, 30 s cache, 600 requests a minute', () => {
    expect(authSettingsFromEnv({})).toEqual({ bootstrapAdminKey: undefined, cacheMs: 30_000, rateLimitPerMinute: 600 });
  });

  test('ADMIN_API_KEY must be 32+ printable characters, and the error never echoes it', () => {
    expect(() => authSettingsFromEnv({ ADMIN_API_KEY: 'short-secret' })).toThrow(/at least 32/);
    expect(() => authSettingsFromEnv({ ADMIN_API_KEY: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => authSettingsFromEnv({ ADMIN_API_KEY: `${'a'.repeat(20)} ${'a'.repeat(20)}` })).toThrow(/without spaces/);
    expect(authSettingsFromEnv({ ADMIN_API_KEY: 'a'.repeat(32), RATE_LIMIT_PER_MINUTE: '0', API_KEY_CACHE_SECONDS: '5' })).toEqual({
      bootstrapAdminKey: 'a'.repeat(32),
      cacheMs: 5000,
      rateLimitPerMinute: 0,
    });
    expect(() => authSettingsFromEnv({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });
});
