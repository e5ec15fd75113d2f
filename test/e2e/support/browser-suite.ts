/**
 * The set-up the end-to-end collector suites share: the collector build checked current and one
 * Chromium launched for the whole suite, and whatever a test opens through the suite (Signal, a
 * site, a visit) closed once that test ends, newest first.
 */
import { after, afterEach, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/chromium.js';
import { startHarness, type Harness, type HarnessOptions } from '../../support/signal-harness.js';
import { openVisit, type BrowserVisit, type VisitOptions } from './browser-visit.js';
import { assertCollectorBuildIsCurrent } from './collector-site.js';
import { startPageHost, type PageHost } from './page-host.js';

export interface BrowserSuite {
  /** Starts Signal with the Actito sandbox for the running test. */
  startHarness(options?: HarnessOptions): Promise<Harness>;
  /** Starts a site at `http://<hostname>:<port>` for the running test. */
  startPageHost(hostname: string): Promise<PageHost>;
  /** Opens a visitor of `origin` in the suite's Chromium for the running test. */
  openVisit(origin: string, options?: VisitOptions): Promise<BrowserVisit>;
}

/** Registers the suite's hooks: `before` and `after` for Chromium, `afterEach` for the rest. */
export function useBrowserSuite(): BrowserSuite {
  let browser: Browser | undefined;
  const openedByTest: { close(): Promise<void> }[] = [];
  const closeAfterTest = <T extends { close(): Promise<void> }>(resource: T): T => {
    openedByTest.push(resource);
    return resource;
  };

  before(async () => {
    await assertCollectorBuildIsCurrent();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const resource of openedByTest.splice(0).reverse()) await resource.close();
  });

  return {
    startHarness: async (options) => closeAfterTest(await startHarness(options)),
    startPageHost: async (hostname) => closeAfterTest(await startPageHost(hostname)),
    openVisit: async (origin, options) =>
      closeAfterTest(await openVisit(browser!, origin, options)),
  };
}
