/**
 * One visitor of the test site: a fresh Chromium context (own cookies and localStorage) with
 * locale `en`, the OneTrust consent cookie set before the first load, and every console error
 * and page error collected so each test can assert the page stayed silent.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { oneTrustCookie } from './collector-site.js';

export interface BrowserVisit {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
  /** Resolves once the collector has replaced the snippet's stub (or installed itself). */
  collectorReady(): Promise<void>;
  /** Runs `code` in the page, as a site's own inline script would. */
  run(code: string): Promise<void>;
  close(): Promise<void>;
}

export interface VisitOptions {
  /** The OneTrust groups of the `OptanonConsent` cookie, set before the first load. */
  oneTrust?: Record<string, boolean>;
  /**
   * Chromium itself logs "Failed to load resource" when a request is aborted; no page script can
   * prevent it. A test that breaks the network on purpose sets this to ignore that line only.
   */
  networkFailsOnPurpose?: boolean;
}

export async function openVisit(
  browser: Browser,
  origin: string,
  { oneTrust, networkFailsOnPurpose = false }: VisitOptions = {},
): Promise<BrowserVisit> {
  const context = await browser.newContext({ locale: 'en' });
  if (oneTrust) {
    await context.addCookies([
      { name: 'OptanonConsent', value: oneTrustCookie(oneTrust), url: origin },
    ]);
  }

  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    const failedLoad = message.text().startsWith('Failed to load resource');
    if (message.type() === 'error' && !(networkFailsOnPurpose && failedLoad)) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));

  return {
    context,
    page,
    errors,
    async collectorReady() {
      await page.waitForFunction(() => window.datafly !== undefined && !('q' in window.datafly));
    },
    async run(code) {
      await page.evaluate(code);
    },
    close: () => context.close(),
  };
}
