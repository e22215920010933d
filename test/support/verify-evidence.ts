import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** `npm run verify-evidence` as a user runs it (the built app's store), with `env` only. */
export function verifyEvidence(env: Record<string, string>): {
  status: number | null;
  out: string;
} {
  const run = spawnSync(
    process.execPath,
    [resolve(__dirname, '../../scripts/verify-evidence.js')],
    {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { status: run.status, out: run.stdout + run.stderr };
}
