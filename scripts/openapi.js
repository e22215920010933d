#!/usr/bin/env node
// @ts-check
// The OpenAPI document and the typed client, from the controllers' decorators (no build, no
// database: the app is read in Nest's preview mode through ts-node).
//   node scripts/openapi.js          writes openapi.json and clients/typescript/src/schema.d.ts
//   node scripts/openapi.js --check  writes them to a temporary folder and fails if they differ
//                                    from the committed ones (`npm run check`: drift in CI)
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const prettier = require('prettier');

const ROOT = path.resolve(__dirname, '..');
const FILES = {
  document: 'openapi.json',
  types: 'clients/typescript/src/schema.d.ts',
};

/** @returns {Promise<object>} */
async function readDocument() {
  require('ts-node').register({
    transpileOnly: true,
    project: path.join(ROOT, 'tsconfig.json'),
  });
  require('reflect-metadata');
  /** @type {unknown} */
  const loaded = require(path.join(ROOT, 'src/common/openapi/preview-document'));
  // Typed by hand: the type of the module would bring the whole app into this program.
  const { previewDocument } = /** @type {{ previewDocument: () => Promise<object> }} */ (loaded);
  return previewDocument();
}

/**
 * @param {string} file
 * @param {string} text
 */
async function formatted(file, text) {
  const options = (await prettier.resolveConfig(path.join(ROOT, file))) ?? {};
  return prettier.format(text, { ...options, filepath: path.join(ROOT, file) });
}

/** @param {string} outDir */
async function generate(outDir) {
  const document = await readDocument();
  const documentFile = path.join(outDir, FILES.document);
  fs.mkdirSync(path.dirname(documentFile), { recursive: true });
  fs.writeFileSync(documentFile, await formatted(FILES.document, JSON.stringify(document)));
  const typesFile = path.join(outDir, FILES.types);
  fs.mkdirSync(path.dirname(typesFile), { recursive: true });
  const cli = path.join(ROOT, 'node_modules/openapi-typescript/bin/cli.js');
  const run = spawnSync(process.execPath, [cli, documentFile, '-o', typesFile], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`openapi-typescript failed: ${run.stderr}`);
  const types = fs.readFileSync(typesFile, 'utf8');
  fs.writeFileSync(typesFile, await formatted(FILES.types, types));
}

async function main() {
  if (!process.argv.includes('--check')) {
    await generate(ROOT);
    console.log(`wrote ${FILES.document} and ${FILES.types}`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redress-openapi-'));
  try {
    await generate(dir);
    const stale = Object.values(FILES).filter((file) => {
      const committed = path.join(ROOT, file);
      return (
        !fs.existsSync(committed) ||
        fs.readFileSync(committed, 'utf8') !== fs.readFileSync(path.join(dir, file), 'utf8')
      );
    });
    if (stale.length) {
      console.error(
        `${stale.join(' and ')} differ from the code's document: run npm run client:generate ` +
          'and commit the result',
      );
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
