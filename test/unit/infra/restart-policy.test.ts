import { decideRestart, DEFAULT_RESTART_POLICY, restartPolicyFromEnv, type RestartPolicy } from '../../../infra/restart-policy';

const policy: RestartPolicy = { maxRestarts: 3, windowMs: 60_000, initialDelayMs: 500, maxDelayMs: 3_000 };

test('a first death restarts after the initial delay, and the delay doubles with each recent death up to the cap', () => {
  const now = 1_000_000;
  expect(decideRestart(policy, [now], now)).toEqual({ action: 'restart', delayMs: 500 });
  expect(decideRestart(policy, [now - 2, now - 1, now], now)).toEqual({ action: 'restart', delayMs: 2_000 });
  const capped = { ...policy, maxRestarts: 10 };
  expect(decideRestart(capped, [1, 2, 3, 4, 5, 6].map((i) => now - i), now)).toEqual({ action: 'restart', delayMs: 3_000 });
});

test('more deaths than maxRestarts within the window gives up; older deaths are forgotten', () => {
  const now = 1_000_000;
  const decision = decideRestart(policy, [now - 3, now - 2, now - 1, now], now);
  expect(decision).toEqual({ action: 'give-up', reason: 'died 4 times within 60 s' });
  // The same number of deaths spread over more than the window keeps restarting from the start.
  expect(decideRestart(policy, [now - 200_000, now - 150_000, now - 100_000, now], now)).toEqual({ action: 'restart', delayMs: 500 });
});

test('RESTART_MAX and RESTART_WINDOW_MS override the policy; nonsense is refused', () => {
  expect(restartPolicyFromEnv({})).toEqual(DEFAULT_RESTART_POLICY);
  expect(restartPolicyFromEnv({ RESTART_MAX: '0', RESTART_WINDOW_MS: '1000' })).toMatchObject({ maxRestarts: 0, windowMs: 1000 });
  expect(() => restartPolicyFromEnv({ RESTART_MAX: 'many' })).toThrow(/RESTART_MAX must be a non-negative integer/);
});
