// Lint: typescript-eslint for the language, eslint-plugin-import-x for the one direction of data.
// The layer order is written down in docs/architecture.md; this file is where it is enforced.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/**
 * The layers of src/, top to bottom. A module may import from its own layer and from the layers below
 * it, never from a layer above: the HTTP request flows down, data and answers flow back up the call stack.
 */
export const LAYERS = [
  ['src/main.ts', 'src/cli'],
  ['src/http'],
  ['src/compose.ts'],
  ['src/service'],
  ['src/cards'],
  ['src/content'],
  ['src/rules/catalog'],
  ['src/rules/engine'],
  ['src/rules/facts'],
  ['src/orders'],
  ['src/fhir'],
  ['src/security'],
  ['src/terminology'],
  ['src/store'],
  ['src/cds-hooks'],
  ['src/logging.ts'],
  ['src/config.ts'],
  ['src/validation'],
  ['src/errors.ts', 'src/project-root.ts'],
];

const zones = LAYERS.flatMap((layer, i) =>
  i === 0
    ? []
    : layer.map((target) => ({
        target: `./${target}`,
        from: LAYERS.slice(0, i).flat().map((p) => `./${p}`),
        message: `${target} sits below these modules (docs/architecture.md): import downwards only.`,
      })),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'public/**', 'data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      'no-nested-ternary': 'error',
    },
  },
);
