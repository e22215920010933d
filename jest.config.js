// Unit specs sit beside the code (src, *.spec.ts); e2e specs boot the real app (test/e2e).
const common = {
  testEnvironment: 'node',
  rootDir: '.',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
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
