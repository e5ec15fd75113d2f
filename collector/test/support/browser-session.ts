/**
 * One browser context per test (fresh cookies and localStorage), with every console error and
 * page error collected so each test can assert the collector stayed silent.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Datafly } from '../../src/types.js';

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** Calls `window.datafly[method](...args)` in the page. */
  call<M extends keyof Datafly>(method: M, ...args: Parameters<Datafly[M]>): Promise<void>;
  close(): Promise<void>;
}

export interface SessionOptions {
  /**
   * Chromium itself logs "Failed to load resource" for a 503 or a dropped connection; no page
   * script can prevent it. Tests that make the server fail on purpose set this to ignore it.
   */
  serverFailsOnPurpose?: boolean;
}

export async function openSession(
  browser: Browser,
  { serverFailsOnPurpose = false }: SessionOptions = {},
): Promise<BrowserSession> {
  const context = await browser.newContext({ locale: 'en' });
  const page = await context.newPage();
  const errors: string[] = [];

  page.on('console', (message) => {
    const failedLoad = message.text().startsWith('Failed to load resource');
    if (message.type() === 'error' && !(serverFailsOnPurpose && failedLoad)) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));

  return {
    context,
    page,
    errors,
    call: (method, ...args) =>
      page.evaluate(
        ([name, values]) => {
          const datafly = window.datafly as unknown as Record<string, (...a: unknown[]) => void>;
          datafly[name]!(...values);
        },
        [method, args] as [string, unknown[]],
      ),
    close: () => context.close(),
  };
}

export interface TestPageOptions {
  /** Attributes of the `datafly.js` script tag. */
  attributes?: string;
  /** Markup placed before the script tag (a CMP stub, an inline snippet). */
  head?: string;
  title?: string;
}

/** A page that installs the collector with a script tag, as the README tells sites to. */
export function testPage({
  attributes = 'data-pipeline-key="dk_test"',
  head = '',
  title = 'Test page',
}: TestPageOptions = {}): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8">',
    `<title>${title}</title>`,
    head,
    attributes === '' ? '' : `<script async src="/datafly.js" ${attributes}></script>`,
    '</head><body><a id="away" href="/other">away</a></body></html>',
  ].join('\n');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
