/**
 * Chromium for browser tests: Debian's `/usr/bin/chromium` driven by playwright-core (the
 * Playwright-managed browsers cannot be downloaded here). A missing browser skips the browser
 * tests on a workstation but fails them in CI, where skipping would pass without checking.
 *
 *   describe('the collector', { skip: skipWithoutChromium() }, () => {
 *     before(async () => (browser = await launchChromium()));
 *   });
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The `skip` option for a browser suite: the message when Chromium is missing outside CI, false
 * otherwise. In CI (`CI=true`) a missing Chromium is not skipped, so `launchChromium` fails.
 */
export function skipWithoutChromium(
  path = CHROMIUM_PATH,
  env: NodeJS.ProcessEnv = process.env,
): string | false {
  if (existsSync(path) || env.CI === 'true') return false;

  return `chromium not found at ${path}: browser tests skipped (apt-get install chromium)`;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `chromium not found at ${CHROMIUM_PATH}: CI requires the browser tests (apt-get install chromium)`,
    );
  }

  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
