#!/usr/bin/env node
// @ts-check
// Builds the browser pages (web/<page>/) into dist/web/<page>/, after `nest build` (which empties
// dist/ first): esbuild bundles <page>.ts into one classic script <page>.js (the CSP allows
// `script-src 'self'` and no inline code) and <page>.css with the shared styles it @imports;
// its .html files (index.html, not-found.html...) are copied as they are.
// `node scripts/build-web.js --out <dir>` builds elsewhere.
// Type-checking is `npm run check`'s job (tsc -p web); esbuild only strips the types.
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const WEB = path.join(ROOT, 'web');

/** @param {string[]} argv */
function outDir(argv) {
  const at = argv.indexOf('--out');
  return at >= 0 && argv[at + 1] ? path.resolve(argv[at + 1]) : path.join(ROOT, 'dist', 'web');
}

/** Every folder of web/ with an index.html is a page (web/shared holds what they share). */
function pages() {
  return fs
    .readdirSync(WEB, { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && fs.existsSync(path.join(WEB, entry.name, 'index.html')),
    )
    .map((entry) => entry.name);
}

async function main() {
  const out = outDir(process.argv.slice(2));
  fs.rmSync(out, { recursive: true, force: true });
  const names = pages();
  const entryPoints = names.flatMap((name) =>
    ['ts', 'css'].map((ext) => {
      const file = path.join(WEB, name, `${name}.${ext}`);
      if (!fs.existsSync(file)) throw new Error(`web/${name}/ needs ${name}.${ext}`);
      return { in: file, out: `${name}/${name}` };
    }),
  );
  const result = await esbuild.build({
    entryPoints,
    outdir: out,
    bundle: true,
    format: 'iife',
    target: ['es2022'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  // Every page of a folder: index.html, and the others it answers with (a link's not-found.html).
  for (const name of names) {
    for (const file of fs.readdirSync(path.join(WEB, name)).filter((f) => f.endsWith('.html'))) {
      fs.copyFileSync(path.join(WEB, name, file), path.join(out, name, file));
    }
  }
  const sizes = Object.entries(result.metafile.outputs)
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, meta]) => `${path.relative(out, path.resolve(ROOT, file))} ${meta.bytes} B`);
  process.stdout.write(`build-web: ${path.relative(ROOT, out)}: ${sizes.join(', ')}\n`);
}

main().catch((error) => {
  process.stderr.write(`build-web: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
