/**
 * What a management UI browser suite starts in its `before` hook and closes in its `after` hook:
 * Chromium, a fresh UI rig, and one UI page that every test of the suite drives in turn.
 */
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium.js';
import { openUiPage, type UiPage } from './ui-page.js';
import { startUiRig, type UiRig } from './ui-rig.js';

export interface UiSuite {
  browser: Browser;
  rig: UiRig;
  ui: UiPage;
  /** `ui.page`, whose actions wait up to 8 s. */
  page: Page;
  /** Closes the page, then Chromium, then the rig. */
  close(): Promise<void>;
}

export interface UiSuiteOptions {
  /** Set-up through the Management API before the page opens (`installActito`, say). */
  prepare?: (rig: UiRig) => Promise<void>;
  /** The page's size; a laptop screen by default. */
  viewport?: { width: number; height: number };
}

/** Launches Chromium and starts the rig together, runs `prepare`, then opens the UI page. */
export async function startUiSuite({ prepare, viewport }: UiSuiteOptions = {}): Promise<UiSuite> {
  const [browser, rig] = await Promise.all([launchChromium(), startUiRig()]);
  let ui: UiPage | undefined;
  const close = async () => {
    await ui?.close();
    await browser.close();
    await rig.close();
  };

  try {
    await prepare?.(rig);
    ui = await openUiPage(browser, viewport);
  } catch (error) {
    await close();
    throw error;
  }
  ui.page.setDefaultTimeout(8_000);

  return { browser, rig, ui, page: ui.page, close };
}
