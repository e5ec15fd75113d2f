/**
 * A browser page on the management UI that records console errors and uncaught exceptions, and
 * saves screenshots to `artifacts/screenshots/`.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const SCREENSHOTS = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'artifacts',
  'screenshots',
);

export interface UiPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and page errors seen so far, except the expected ones. */
  errors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

/** A laptop screen unless a test asks for another size (a phone's 390 px, say). */
export async function openUiPage(
  browser: Browser,
  viewport = { width: 1280, height: 860 },
): Promise<UiPage> {
  const context = await browser.newContext({
    viewport,
    locale: 'en-GB',
    timezoneId: 'Europe/Brussels',
  });
  const page = await context.newPage();
  const errors: string[] = [];

  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every 4xx resource as a console error, including the two expected 401s:
    // /auth/me before signing in (the UI's way to ask whether a session exists), and a
    // deliberately wrong password.
    const url = message.location().url;
    const expected = ['/v1/admin/auth/me', '/v1/admin/auth/login'].some((path) =>
      url.endsWith(path),
    );
    if (expected && message.text().includes('401')) return;
    errors.push(`console: ${message.text()} (${url})`);
  });

  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    page,
    context,
    errors,
    async screenshot(name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
    },
    close: () => context.close(),
  };
}
