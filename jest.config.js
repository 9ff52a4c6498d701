// Three kinds of test, one command (`npm test`):
//   unit     - pure domain code and small modules, no servers;
//   workflow - workflows on the Java time-skipping test server;
//   e2e      - the whole product over HTTP against the real dev server and PostgreSQL.
// The summary reporter prints the closing `N passed, N failed` line CI reads.
const swc = ['@swc/jest', { jsc: { target: 'es2022' } }];
// web/*.js are the screen's browser ES modules; unit tests import their pure parts.
const transform = { '^.+\\.ts$': swc, '/web/.+\\.js$': swc };

const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  transform,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

module.exports = {
  projects: [
    project('unit'),
    project('workflow', { setupFiles: ['<rootDir>/test/quiet-temporal-runtime.ts'] }),
    project('e2e', {
      globalSetup: '<rootDir>/test/e2e/global-setup.ts',
      globalTeardown: '<rootDir>/test/e2e/global-teardown.ts',
    }),
  ],
  // Workflow and e2e tests start servers and workers; testTimeout is global-only in jest.
  testTimeout: 180_000,
  reporters: ['default', '<rootDir>/test/summary-reporter.js'],
};
