// ESLint flat config: typescript-eslint's recommended rules everywhere, plus the guard from
// Temporal's samples: workflow and domain code may not import Node built-ins (determinism),
// and the layering check: imports point down the layers and never form a cycle.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, flatConfigs as importXFlat, importX } from 'eslint-plugin-import-x';
import { builtinModules } from 'node:module';

/**
 * The layers, lowest first. A module may import its own layer and the ones below it.
 *   domain (pure rules; may read the shipped data in calendars/ and catalogue/)
 *   <- workflows, activities, services, db, notifications, config (orchestration and I/O)
 *   <- api, worker, cli, scripts, infra, bench (processes and entry points), test
 */
const DOMAIN = ['./domain'];
const MIDDLE = ['./workflows', './activities', './services', './db', './notifications', './config'];
const TOP = ['./api', './worker', './cli', './scripts', './infra', './bench', './test'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Parse .ts dependencies too (no-cycle follows them); resolve like Node with .ts added.
      'import-x/extensions': importXFlat.typescript.settings['import-x/extensions'],
      'import-x/parsers': importXFlat.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: DOMAIN, from: [...MIDDLE, ...TOP], message: 'domain code is pure: it imports only domain code and shipped data' },
            { target: MIDDLE, from: TOP, message: 'a lower layer may not import the API, the worker or an entry point' },
          ],
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // JSON response bodies in tests are asserted field by field; typing each one adds nothing.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', exports: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The screen's pages: browser ES modules served as they are (no build step).
    files: ['web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'localStorage', 'fetch', 'EventSource', 'EventTarget', 'Event', 'Node', 'FormData', 'URLSearchParams', 'Intl', 'CSS', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'console', 'crypto'].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)] }],
    },
  },
);
