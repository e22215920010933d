// `npm run test:faults` only (scripts/test-faults.js): fault tests on real processes (kill -9 of the
// app, a PostgreSQL crash, two instances). Not a project of jest.config.js, so `npm test` skips them.
const { projects } = require('./jest.config');

const e2e = projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.faults-spec.ts'],
  testTimeout: 240000,
};
