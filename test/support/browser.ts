import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import sparticuz from '@sparticuz/chromium';
import { Browser, chromium } from 'playwright-core';

/**
 * The browser for page tests: the Chromium that `@sparticuz/chromium` ships inside its npm
 * package (nothing to install on the machine), or the one `CHROMIUM_PATH` names (a developer's
 * Chrome, Debian's chromium), driven by playwright-core. Every browser test launches through here.
 */

const run = promisify(execFile);

/** Flags for a browser named by CHROMIUM_PATH. */
const OVERRIDE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/**
 * @sparticuz/chromium's flags are made for AWS Lambda. Left out: those that switch off what a
 * page test checks (same-origin rules, blocked mixed content, site isolation), and
 * `--single-process`, with which the whole browser dies when a test closes its first page.
 */
const LEFT_OUT = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--disable-site-isolation-trials',
  '--single-process',
]);

export interface BrowserBinary {
  path: string;
  /** Where it came from: the override, or the npm package (and its version). */
  source: string;
  args: string[];
}

function packageVersion(): string {
  const main = require.resolve('@sparticuz/chromium'); // <package>/build/cjs/index.cjs
  const manifest = join(dirname(main), '..', '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * Unpacks the package's Chromium (brotli, about 200 MB unpacked, 2-3 s) once per version into
 * `<tmp>/redress-chromium-<version>/`. Left to itself the package unpacks into `<tmp>/chromium`
 * and reuses whatever is there, whichever version or half-written; here a child process unpacks
 * it with TMPDIR pointed at a fresh folder (jest's `process.env` is a copy the `os` module never
 * reads), which is then renamed into place whole, so parallel jest workers and interrupted runs
 * cannot leave a broken binary behind.
 */
async function unpackedChromium(): Promise<string> {
  const dir = join(tmpdir(), `redress-chromium-${packageVersion()}`);
  const binary = join(dir, 'chromium');
  if (existsSync(binary)) return binary;
  const staging = mkdtempSync(join(tmpdir(), 'redress-chromium-unpack-'));
  const unpack =
    `const c = require(${JSON.stringify(require.resolve('@sparticuz/chromium'))});` +
    '(c.default ?? c).executablePath().then((p) => process.stdout.write(p));';
  const { stdout } = await run(process.execPath, ['-e', unpack], {
    env: { ...process.env, TMPDIR: staging },
  });
  if (stdout !== join(staging, 'chromium')) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`@sparticuz/chromium unpacked to ${stdout}, not into ${staging}`);
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another worker renamed its copy first: use that one.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw error;
  }
  return binary;
}

/** The browser binary page tests use, and the flags it is launched with. */
export async function browserBinary(): Promise<BrowserBinary> {
  const override = process.env.CHROMIUM_PATH;
  if (override) return { path: override, source: 'CHROMIUM_PATH', args: OVERRIDE_ARGS };
  return {
    path: await unpackedChromium(),
    source: `@sparticuz/chromium@${packageVersion()}`,
    args: sparticuz.args.filter((flag) => !LEFT_OUT.has(flag)),
  };
}

/** A headless Chromium for a page test; close it in afterAll. */
export async function launchBrowser(): Promise<Browser> {
  const binary = await browserBinary();
  return chromium.launch({ executablePath: binary.path, args: binary.args, headless: true });
}
