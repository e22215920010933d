// Unit specs sit beside the code (src, *.spec.ts); e2e specs boot the real app (test/e2e).
const tsJest = ['ts-jest', { diagnostics: false }];
// @fastify/static (for /docs) requires content-disposition@3, which is ESM; Node 20 can require()
// it, jest cannot, so jest compiles that one package to CommonJS.
const esmPackage = ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }];
const common = {
  testEnvironment: 'node',
  rootDir: '.',
  transform: { '^.+\\.ts$': tsJest, 'node_modules/content-disposition/.+\\.js$': esmPackage },
  transformIgnorePatterns: ['node_modules/(?!content-disposition/)'],
};
module.exports = {
  // Per-project testTimeout is ignored by jest; e2e files boot an app and a database.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      // bench/lib: the pure parts of `npm run bench` (plain Node, `// @ts-check`), run as they are.
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/bench/lib/**/*.spec.js'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
  ],
};
