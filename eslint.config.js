import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'data/**',
      'coverage/**',
      'node_modules/**',
      '*.config.js',
      '.dependency-cruiser.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
    },
  },
  {
    // Nest resolves constructor parameters from emitted decorator metadata: those imports must stay values.
    files: [
      'apps/**/*.ts',
      'libs/platform/**/*.ts',
      'libs/subscriptions/**/*.ts',
      'libs/read-models/**/*.ts',
      'libs/processes/**/*.ts',
      'server/**/*.ts',
      'libs/integration/**/*.ts',
      'libs/event-store/src/nest/**/*.ts',
      // The Nest command handlers and their module (the pure path at the root stays checked).
      'libs/command-handling/src/*/**/*.ts',
    ],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
);
