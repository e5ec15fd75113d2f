/**
 * The set-up every collector browser suite shares: one Chromium and one recording server for the
 * whole suite, and for each test a fresh session with the server's record cleared and its
 * failures turned off.
 */
import { after, afterEach, before, beforeEach } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../test/support/chromium.js';
import { standIn } from '../../../test/support/stand-in.js';
import { openSession, type BrowserSession, type SessionOptions } from './browser-session.js';
import { startRecordingServer, type RecordingServer } from './recording-server.js';

export interface BrowserSuiteOptions extends SessionOptions {
  /** The pages the server serves for the whole suite, by path. */
  pages: Record<string, string>;
}

export interface BrowserSuite {
  /** The suite's server. */
  server: RecordingServer;
  /** The running test's session. */
  session: BrowserSession;
}

/**
 * Registers the suite's `before`/`after` and `beforeEach`/`afterEach` hooks. The `server` and
 * `session` returned stand for the current ones, as variables assigned by those hooks would: read
 * them inside hooks and tests, not while the suite is being declared.
 */
export function useBrowserSuite({ pages, ...sessionOptions }: BrowserSuiteOptions): BrowserSuite {
  let browser: Browser | undefined;
  let server: RecordingServer | undefined;
  let session: BrowserSession | undefined;

  before(async () => {
    [browser, server] = await Promise.all([launchChromium(), startRecordingServer()]);
    for (const [path, html] of Object.entries(pages)) server.page(path, html);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  beforeEach(async () => {
    server!.batches.length = 0;
    server!.fail(undefined);
    session = await openSession(browser!, sessionOptions);
  });
  afterEach(() => session?.close());

  return {
    server: standIn(() => server, outsideHooks('the recording server')),
    session: standIn(() => session, outsideHooks('the browser session')),
  };
}

const outsideHooks = (what: string) => `${what} is only there inside hooks and tests`;
