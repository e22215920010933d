import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/**
 * The browser pages the app serves, each at `/<name>` from the folder `scripts/build-web.js`
 * builds out of `web/<name>/`: `index.html`, `<name>.js`, `<name>.css`. Listed here, not found
 * on disk, so a stray folder in the build can never shadow an API route.
 */
export const WEB_PAGES = ['ops', 'supplier', 'buyer', 'app'] as const;

/**
 * Pages that open one case from their own address: `/<name>/cases/<id>` answers the page's
 * `index.html` (CaseLinksController), whose script reads the id from `location` (deep links that
 * survive a reload). A page listed here but not built answers 404.
 */
export const CASE_LINK_PAGES: readonly string[] = ['ops', 'app'];

const htmlOfPages = new Map<string, Buffer | null>();

/** A built page's `index.html`, read once; null when the build has no such page. */
export function pageHtml(name: string, root: string = builtPagesRoot()): Buffer | null {
  const key = resolve(root, name);
  if (!htmlOfPages.has(key)) {
    const file = resolve(key, 'index.html');
    htmlOfPages.set(key, existsSync(file) ? readFileSync(file) : null);
  }
  return htmlOfPages.get(key) ?? null;
}

/** Pages are public, like any login page (they hold no data), and checked on every load. */
const CACHE_CONTROL = 'no-cache';
/** RFC 9239's type for scripts; the `mime` table @fastify/send uses still says application/. */
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8' };

/**
 * Where the build put the pages: `<outDir>/web`, beside the compiled `src/`. Run from source
 * (jest's in-process app), the project's `dist/web`, so `npm run build` must have run.
 */
export function builtPagesRoot(): string {
  const src = resolve(__dirname, '..', '..');
  return __filename.endsWith('.ts') ? resolve(src, '..', 'dist', 'web') : resolve(src, '..', 'web');
}

/**
 * Serves each page with @fastify/static: one route per file found at boot (`wildcard: false`,
 * so an unknown path is the API's ordinary 404 and never a disk lookup); `/<name>/` answers its
 * `index.html`. `/<name>` itself is a Nest route of the page's module (OpsPageController), so the
 * rate limit covers it. A page whose folder is missing is left out with a warning:
 * the API still serves.
 */
export async function serveWebPages(
  app: NestFastifyApplication,
  root: string = builtPagesRoot(),
): Promise<void> {
  for (const name of WEB_PAGES) {
    const dir = resolve(root, name);
    if (!existsSync(resolve(dir, 'index.html'))) {
      new Logger('WebPages').warn(`/${name} not served: ${dir} has no index.html (npm run build)`);
      continue;
    }
    // A scope of its own per page, so each registration may decorate the reply.
    await app.register(async (scope: FastifyInstance) => {
      await scope.register(fastifyStatic, {
        root: dir,
        prefix: `/${name}/`,
        wildcard: false,
        cacheControl: false,
        setHeaders: (reply, path) => {
          void reply.header('cache-control', CACHE_CONTROL);
          const type = TYPES[extname(path)];
          if (type) void reply.header('content-type', type);
        },
      });
    });
  }
}
