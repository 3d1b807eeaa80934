// ESLint (flat config), run by `npm run lint` and as a step of `npm test`.
// Type-aware: every linted file belongs to exactly one of the four tsconfigs (app, worker, worklet,
// node), so the rules that need types see the same program the typecheck sees.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default defineConfig(
  {
    // Generated or build output, downloaded data, and reports (see .gitignore).
    ignores: [
      'dist/**',
      'dev-dist/**',
      'node_modules/**',
      'fixtures/**',
      'models/**',
      'coverage/**',
      'test-results/**',
      'playwright-report/**',
      'bench/results/**',
      '.relay-data/**',
      '.lighthouseci/**',
      'public/**',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  // recommendedTypeChecked: the recommended rules plus the ones that need types (floating and
  // misused promises, unsafe `any` flows, awaiting non-thenables). The stricter `strict` set is
  // mostly style on top of what `tsc --strict` already enforces here.
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.app.json', './tsconfig.worker.json', './tsconfig.worklet.json', './tsconfig.node.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Off: an `async` function without `await` is how this codebase implements promise-returning
      // interfaces (RPC surfaces, fakes), and it turns a throw into a rejection; forgotten awaits are
      // what no-floating-promises and no-misused-promises catch.
      '@typescript-eslint/require-await': 'off',
      // Passing on a value of unknown type (a caught error, an abort signal's reason) is forwarding it,
      // not choosing a non-Error; rejecting with a known non-Error type is still reported.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      // `_`-prefixed parameters and variables are the codebase's marker for "deliberately unused"
      // (an interface's argument an implementation ignores, a destructured field being dropped).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // React hooks' rules for the browser code (components and the `use-*` hooks beside them).
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    // Off in tests: vitest types its asymmetric matchers (`expect.any(Number)`, `expect.stringContaining`)
    // as `any`, so every `toMatchObject({ field: expect.any(...) })` would be reported; reading or
    // passing an `any` is still caught there by no-unsafe-member-access, -argument and -return.
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    // Off: a Playwright fixture must destructure its first argument (`async ({}, use) => ...`):
    // Playwright reads the pattern to learn which fixtures it depends on, and `{}` means none.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    // Plain JS config files (this one) are not part of any tsconfig: lint them without types.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
