// One linter for the workspace (issue #16 point 7): ESLint's and typescript-eslint's recommended
// rules (no type information: fast, no project service), minus the four the code does not pass
// today, plus the block that keeps core pure (style.md §2: no `node:*`, no I/O, no process, Buffer
// or clock in packages/core/src), which replaced a regex scan of the sources.
// Formatting is Prettier's job (.prettierrc.json), not ESLint's.
import { readFileSync } from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { corePurity } from './scripts/lint/core-purity.js';

/** .gitignore's patterns as ESLint globs: what git does not track (builds, generated docs) is not linted. */
const gitignored = readFileSync(new URL('./.gitignore', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
  .map((line) => {
    const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
    const glob = line.replace(/^\//, '').replace(/\/$/, '/**');
    return anchored ? glob : `**/${glob}`;
  });

export default tseslint.config(
  {
    ignores: [...gitignored, '**/node_modules/**', '**/dist/**'],
  },
  {
    files: ['**/*.{ts,mts,js,mjs}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // TypeScript resolves names (and the .mjs scripts run under Node): no global lists to keep.
      'no-undef': 'off',
      // Not passed today (counts of 2026-12); each is a cleanup of its own, not a style rule:
      '@typescript-eslint/no-explicit-any': 'off', // 31, 26 of them in bench/reliability's model-based test world
      '@typescript-eslint/no-unused-vars': 'off', // 20, 14 of them `_`-named parameters kept for a signature
      '@typescript-eslint/no-unused-expressions': 'off', // 8: short-circuit statements in the SQLite ledger and its tests
      'no-control-regex': 'off', // 4: byte rules (§1.4) match control characters on purpose
      'no-var': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  corePurity,
);
