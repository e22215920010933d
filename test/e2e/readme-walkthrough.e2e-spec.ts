import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * README.md's "First ten minutes", run as a reader would: its first ```sh block (the server:
 * `REDRESS_BOOTSTRAP_OPS_KEY=... npm start`) in a shell of its own, every other block in order in
 * one bash session, against that server on a database of this file. What changes: the server's
 * port (a free one, through `PORT`, and `http://localhost:3000` in the blocks), `DATABASE_URL` (the
 * test database, not the embedded one), and `npm start` skips its prestart build (`npm test` built
 * dist/ already). Each block's output is checked, so a README that no longer works fails here.
 */

const ROOT = resolve(__dirname, '../..');
const SECTION = '## First ten minutes';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** The ```sh blocks of the section, in order. */
function walkthroughBlocks(readme: string): string[] {
  const start = readme.indexOf(`\n${SECTION}\n`);
  if (start === -1) throw new Error(`README.md has no "${SECTION}" section`);
  const end = readme.indexOf('\n## ', start + SECTION.length + 2);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const run = promisify(execFile);
const MARK = '@@end of block@@';

describe('README: First ten minutes', () => {
  let db: TestDatabase;
  let server: ChildProcess;
  let serverLog = '';
  let dataDir: string;
  let baseUrl: string;
  const blocks = walkthroughBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'redress-readme-'));
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    expect(blocks[0]).toMatch(/^REDRESS_BOOTSTRAP_OPS_KEY=\S+ npm start$/m);
    server = spawn('bash', ['-c', blocks[0]], {
      cwd: ROOT,
      detached: true, // its own process group: npm and the node it starts stop together
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dataDir,
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        REDRESS_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        npm_config_ignore_scripts: 'true',
        npm_config_update_notifier: 'false',
      },
    });
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server block exited: ${serverLog}`);
      const up = await fetch(`${baseUrl}/health`)
        .then((r) => r.ok)
        .catch(() => false);
      if (up) break;
      if (Date.now() > deadline) throw new Error(`the server did not come up: ${serverLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 120_000);

  afterAll(async () => {
    if (server?.pid && server.exitCode === null) {
      const exited = new Promise((done) => server.once('exit', done));
      process.kill(-server.pid, 'SIGTERM');
      await exited;
    }
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('every command runs in one shell, and each block answers what the README says', async () => {
    // The server block, then: setup, parties, key, case, event, refund, timeline, diagram.
    expect(blocks).toHaveLength(9);
    const script = [
      'set -eu',
      ...blocks
        .slice(1)
        .map((b) => `${b.replaceAll('http://localhost:3000', baseUrl)}echo '${MARK}'`),
    ].join('\n');
    const cwd = mkdtempSync(join(tmpdir(), 'redress-readme-shell-'));
    const { stdout } = await run('bash', ['-c', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd },
      timeout: 60_000,
    }).catch((error: { stdout?: string; stderr?: string; code?: number }) => {
      throw new Error(
        `a block failed (exit ${error.code}): ${error.stderr}\n${error.stdout}\nserver: ${serverLog}`,
      );
    });
    rmSync(cwd, { recursive: true, force: true });
    const out = stdout.split(`${MARK}\n`).map((o) => o.trim());
    // Eight blocks, each ended by its mark, and nothing after the last mark.
    expect(out).toHaveLength(blocks.length);
    expect(out[8]).toBe('');

    const [health, parties, key, opened, event, refund, timeline, diagram] = out;
    expect(health).toMatch(/^\{"status":"ok"/);
    expect(parties).toMatch(new RegExp(`^merchant ${UUID}, supplier ${UUID}$`));
    expect(key).toMatch(/^rk_live_[A-Za-z0-9_-]{43}$/);
    expect(opened).toBe('awaiting_decision');

    const [moved, refused] = event.split('\n');
    expect(moved).toBe('refund_pending');
    expect(JSON.parse(refused)).toEqual({
      statusCode: 409,
      error: 'invalid_transition',
      message: expect.any(String),
      state: 'refund_pending',
      allowedEvents: expect.not.arrayContaining(['REQUEST_REFUND']),
    });
    expect(refund).toBe('refunded');

    const entries = timeline.split('\n');
    expect(entries.map((e) => /"type":"(\w+)"/.exec(e)?.[1])).toEqual([
      'CASE_OPENED',
      'REQUEST_REFUND',
      'REFUNDED',
      undefined, // the integrity line
    ]);
    expect(entries[3]).toMatch(/^"integrity":\{"valid":true,"head":"[0-9a-f]{64}"\}$/);

    expect(diagram.split('\n')[0]).toBe('stateDiagram-v2');
    expect(diagram).toContain('awaiting_decision --> refund_pending: REQUEST_REFUND');

    // What the shell was told is what the database holds.
    const { rows } = await db.pool.query('SELECT status, outcome, version FROM cases');
    expect(rows).toEqual([{ status: 'closed', outcome: 'refunded', version: 3 }]);
  });
});

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

describe('README and docs/ point only inside the repository', () => {
  const pages = ['README.md', 'docs/api.md'];

  it.each(pages)(
    '%s: every relative link names a file of the repo, and its anchor a heading',
    (page) => {
      const text = readFileSync(join(ROOT, page), 'utf8');
      expect(text).not.toMatch(/\.\.\/shared|shared\/spec/);
      const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links.filter((l) => !/^(https?:|mailto:)/.test(l))) {
        const [path, anchor] = link.split('#');
        const target = path ? resolve(ROOT, page, '..', path) : join(ROOT, page);
        expect(target.startsWith(`${ROOT}/`)).toBe(true);
        const body = readFileSync(target, 'utf8'); // throws when the file is not there
        if (anchor) {
          const headings = [...body.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]));
          expect({ link, found: headings.includes(anchor) }).toEqual({ link, found: true });
        }
      }
    },
  );
});
