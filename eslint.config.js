// Lint rules, including the import boundaries of the design: domain <- ports <- engine; adapters plug into ports;
// only main.ts and cli/ wire adapters together.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const forbidLayers = (names, why) =>
  names.map((name) => ({ regex: `^\\.{1,2}/.*${name === 'main' ? 'main\\.js$' : `${name}/`}`, message: why }));

const onlyRelativeAnd = (allowed, why) => ({
  regex: `^(?!\\.{1,2}/|${allowed.map((p) => p.replace('/', '\\/')).join('$|')}$)`,
  message: why,
});

const realClock = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Read time from the injected Clock port, never the real clock.',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'Read time from the injected Clock port, never the real clock.',
  },
  {
    selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
    message: 'Randomness in the domain or engine makes replays unrepeatable; inject it.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'reports/', '.bench-build/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', performance: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ...forbidLayers(['ports', 'engine', 'adapters', 'config', 'cli', 'testing', 'main'], 'domain imports only domain (and zod).'),
        // Plus the normal distribution's CDF and quantile (pure math, for the deflated Sharpe ratio).
        onlyRelativeAnd(['zod', '@stdlib/stats-base-dists-normal-cdf', '@stdlib/stats-base-dists-normal-quantile'], 'domain imports only domain (and zod, and the normal distribution).'),
      ] }],
      'no-restricted-syntax': ['error', ...realClock],
    },
  },
  {
    files: ['src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ...forbidLayers(['engine', 'adapters', 'config', 'cli', 'testing', 'main'], 'ports import only domain.'),
        onlyRelativeAnd(['zod'], 'ports are interfaces over domain types; no libraries.'),
      ] }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        ...forbidLayers(['adapters', 'config', 'cli', 'testing', 'main'], 'engine imports only domain and ports.'),
        onlyRelativeAnd(['zod'], 'engine imports only domain and ports; libraries belong in adapters.'),
      ] }],
      'no-restricted-syntax': ['error', ...realClock],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: forbidLayers(['engine', 'config', 'cli', 'testing', 'main'], 'adapters import ports, domain and their own library.') }],
    },
  },
  {
    files: ['src/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: forbidLayers(['engine', 'adapters', 'config', 'cli', 'main'], 'testing fakes import only ports and domain.') }],
    },
  },
  {
    // The one fake that is also an adapter: backtests run on the in-memory store, and the tests keep using it from here.
    files: ['src/testing/in-memory-store.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [{
        name: 'ccxt',
        allowTypeImports: true,
        message: "ccxt's entry loads every exchange it has; load classes through adapters/exchange/ccxt/ccxt-library.ts.",
      }] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/main.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config reads the environment.' }],
    },
  },
);
