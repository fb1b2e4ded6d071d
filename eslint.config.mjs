// Lint: eslint's recommended rules plus typescript-eslint's, over every TypeScript source.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import looplens from './scripts/lint/layers.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'media/dist/**', 'node_modules/**', '.e2e/**', '.cache/**', '.artifacts/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Which folder may import which: the table in scripts/lint/layers.mjs.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    plugins: { looplens },
    rules: { 'looplens/layers': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
  },
);
