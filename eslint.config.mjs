// ESLint flat config. Besides the usual TypeScript rules it enforces the architecture's one hard boundary:
// job logic (worker/jobs, worker/queue, worker/sync) talks to the Store and ExchangeGateway ports only and
// never imports a database driver or the EWS library.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const drivers = [
  'pg',
  'pg-*',
  'mssql',
  'mssql/*',
  'tedious',
  'tedious/*',
  'ews-javascript-api',
  'ews-javascript-api/*',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['worker/jobs/**/*.ts', 'worker/queue/**/*.ts', 'worker/sync/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: drivers,
              message: 'Job logic talks to the Store / ExchangeGateway ports, never to drivers.',
            },
            {
              group: ['**/db/postgres/**', '**/db/mssql/**', '**/exchange/ews/**', '**/exchange/graph/**'],
              message: 'Job logic imports ports (db/store, exchange/gateway), not adapters.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
