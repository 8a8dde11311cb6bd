// ESLint flat config. Layering (who may import whom) is dependency-cruiser's job
// (.dependency-cruiser.cjs); this file is about code quality per environment.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      '.data/',
      'bench/out/',
      'tests/fixtures/',
      '**/*.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'warn',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='sendSync']",
          message: 'Never sendSync: it blocks the renderer. Use an invoke channel.',
        },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  // Node: hub, console core, scripts, tests, bench, configs.
  {
    files: [
      'hub/**',
      'main/**',
      'scripts/**',
      'tests/**',
      'bench/**',
      '*.config.*',
      '*.cjs',
      'renderer/vite.config.ts',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // DOM: the renderer and the harness's page-side bridge.
  {
    files: ['renderer/**/*.{ts,tsx}', 'tests/harness/page/**'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    ...reactHooks.configs.flat.recommended,
  },
  // Tests and benchmarks reach into untyped corners (socket payloads, fakes): allowed, but visible.
  { files: ['tests/**', 'bench/**'], rules: { '@typescript-eslint/no-explicit-any': 'warn' } },
  // Electron main and preload.
  { files: ['main/app/**', 'preload/**'], languageOptions: { globals: { ...globals.node } } },
);
