import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * `npm run verify-evidence` as a user runs it (the built app's store), with `env` only. Not
 * spawnSync: a store served from this very process (s3rver) must go on answering meanwhile.
 */
export function verifyEvidence(
  env: Record<string, string>,
): Promise<{ status: number | null; out: string }> {
  const script = resolve(__dirname, '../../scripts/verify-evidence.js');
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((done) =>
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, out: stdout + stderr });
    }),
  );
}
