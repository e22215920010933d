import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * What every page test checks on every screen: no console error, no request to another origin,
 * no serious or critical accessibility violation (axe-core), no sideways scroll on a phone.
 */

/** Problems the page reports while the test runs; expect it to stay empty. */
export function watchPage(page: Page, base: string): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.text()} ${message.location().url}`);
  });
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:'))
      problems.push(`outside request: ${url}`);
  });
  return problems;
}

let axeSource: string | undefined;

/**
 * axe-core's serious and critical violations on the page as it is now, as `rule: target` lines.
 * Its source goes in through the DevTools protocol (`evaluate`), which the page's CSP (no inline
 * script) does not govern, so the page under test keeps its real CSP.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(axeSource);
  // A string, run in the page: this file is compiled without the DOM's types.
  const result = await page.evaluate<{ id: string; impact: string; targets: string[] }[]>(
    `axe.run(document).then((answer) => answer.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.map((n) => JSON.stringify(n.target)),
    })))`,
  );
  return result
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.targets.join(' ')}`);
}

/** How wide the document is: at most the viewport's width when nothing overflows. */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}
