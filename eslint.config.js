// ESLint for the JavaScript runtime (sdk/js), the command line (tools/cli) and the demo page (examples/webapp),
// run by ctest style.eslint: the recommended rules, for ES modules that run in browsers, workers and Node.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    files: ['sdk/js/**/*.js', 'tools/cli/**/*.js', 'examples/webapp/**/*.js'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
    rules: {
      // `const { dropped, ...kept } = options` is how a field is left out.
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
];
