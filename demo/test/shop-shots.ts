/** Screenshots of shop pages at 1280 px and 390 px wide, into /tmp/shots/shop/ (looked at by hand). */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';

const DIR = '/tmp/shots/shop';

/** Full-page screenshots of `page` as it is (`<name>-1280.png`), then at 390 px (`<name>-390.png`). */
export async function shopShots(page: Page, name: string): Promise<void> {
  mkdirSync(DIR, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 860 };
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.screenshot({ path: `${DIR}/${name}-1280.png`, fullPage: true, animations: 'disabled' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${DIR}/${name}-390.png`, fullPage: true, animations: 'disabled' });
  await page.setViewportSize(size);
}
