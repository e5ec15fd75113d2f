/**
 * The Pipelines page in Chromium: create a pipeline, generate and rotate its HMAC secret (shown
 * once, and the one shown is the one the gateway checks), disable and re-enable a pipeline, and
 * install datafly.js with the inline snippet exactly as the page shows it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { renderSnippet } from '../../collector/src/snippet.js';
import { signBody } from '../../src/ingest/signature.js';
import { openVisit } from '../e2e/support/browser-visit.js';
import { AWAY_PATH } from '../e2e/support/collector-site.js';
import { skipWithoutChromium } from '../support/chromium.js';
import { eventually } from '../support/eventually.js';
import { PIPELINE_KEY } from '../support/signal-harness.js';
import { signIn } from './support/sign-in.js';
import { installActito } from './support/ui-fixtures.js';
import type { UiPage } from './support/ui-page.js';
import type { UiRig } from './support/ui-rig.js';
import { startUiSuite, type UiSuite } from './support/ui-suite.js';

interface PipelineBody {
  key: string;
  enabled: boolean;
  hmac_secret_set: boolean;
  allowed_origins: string[];
  integrations: string[];
}

describe('the Pipelines page', { skip: skipWithoutChromium() }, () => {
  let suite: UiSuite | undefined;
  let rig: UiRig | undefined;
  let ui: UiPage;
  let page: Page;

  before(async () => {
    suite = await startUiSuite({ prepare: installActito });
    ({ rig, ui, page } = suite);
    await signIn(page, rig.uiUrl);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Pipelines' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Pipelines' }).waitFor();
  });
  after(() => suite?.close());

  const card = (name: string): Locator => page.getByRole('region', { name, exact: true });
  const pipeline = async (id: string) =>
    (await rig!.admin('GET', `/pipelines/${id}`)).body as PipelineBody;

  it('creates a pipeline with a name, an origin and an integration', async () => {
    await page.getByRole('button', { name: 'New pipeline' }).click();
    const form = page.getByRole('form', { name: 'New pipeline' });
    await form.getByRole('button', { name: 'Create pipeline' }).click();
    await form.getByText('Give the pipeline a name.').waitFor();

    await form.getByLabel('Name').fill('Web shop');
    await form.getByLabel('Allowed origins').fill('https://shop.example.com');
    await form.getByRole('checkbox', { name: /^Actito/ }).check();
    await ui.screenshot('pipeline-new');
    await form.getByRole('button', { name: 'Create pipeline' }).click();

    const created = card('Web shop');
    await created.getByText('accepting events').waitFor();
    assert.equal(await form.isHidden(), true);
    const stored = await pipeline('web-shop');
    assert.equal(await created.getByLabel('Pipeline key').inputValue(), stored.key);
    assert.match(stored.key, /^dk_/);
    assert.deepEqual(stored.allowed_origins, ['https://shop.example.com']);
    assert.deepEqual(stored.integrations, ['actito']);
  });

  it('shows a new HMAC secret once, and the gateway accepts what it signs', async () => {
    const shop = card('Web shop');
    await shop.getByRole('button', { name: 'Generate HMAC secret' }).click();
    const first = await shop.getByLabel('New HMAC secret').inputValue();
    await shop.getByRole('button', { name: 'Rotate HMAC secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    // The first secret's notice is still on screen until the rotated one replaces it.
    const secret = await eventually(async () => {
      const shown = await shop.getByLabel('New HMAC secret').inputValue();
      return shown === first ? undefined : shown;
    }, 'the rotated secret on screen');
    await shop.getByText('Copy it now: it is shown only this once.').waitFor();
    await ui.screenshot('pipeline-secret');

    assert.ok(secret.length >= 32);
    const stored = await rig!.admin('GET', '/pipelines/web-shop');
    assert.equal((stored.body as PipelineBody).hmac_secret_set, true);
    assert.equal(stored.text.includes(secret), false, 'the API never answers the secret again');
    assert.equal(await sendSigned((await pipeline('web-shop')).key, secret), 200);
    assert.equal(await sendSigned((await pipeline('web-shop')).key, first), 401);

    await page.reload();
    await card('Web shop').getByText('set', { exact: true }).waitFor();
    assert.equal((await page.content()).includes(secret), false, 'gone after a reload');
  });

  it('disables a pipeline after asking, so its key is refused, and enables it again', async () => {
    const website = card('Website');
    await website.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable pipeline' }).click();
    await website.getByText('disabled', { exact: true }).waitFor();

    assert.equal((await pipeline('web')).enabled, false);
    assert.equal(await sendWithKey(PIPELINE_KEY), 401);

    await website.getByRole('button', { name: 'Enable' }).click();
    await website.getByText('accepting events').waitFor();
    assert.equal((await pipeline('web')).enabled, true);
  });

  it('shows the script tag and inline snippet; the inline snippet collects events', async () => {
    const website = card('Website');
    await website.getByText('Install snippet').click();
    // The snippet is fetched on opening: wait until it has replaced the placeholder.
    const scriptTag = website.getByRole('figure', { name: 'Script tag' }).locator('pre');
    await scriptTag.filter({ hasNotText: 'Loading…' }).waitFor();
    const tag = await scriptTag.textContent();
    const inline = await website
      .getByRole('figure', { name: 'Inline snippet' })
      .locator('pre')
      .textContent();

    const scriptUrl = `${rig!.signal.url}/datafly.js`;
    assert.equal(
      tag,
      `<script async src="${scriptUrl}" data-pipeline-key="${PIPELINE_KEY}"></script>`,
    );
    assert.equal(
      inline,
      `<script>${renderSnippet({ scriptUrl, pipelineKey: PIPELINE_KEY })}</script>`,
    );
    assert.equal(await collectsWithInlineSnippet(inline ?? ''), true);
    assert.deepEqual(ui.errors, []);
  });

  function sendWithKey(key: string): Promise<number> {
    return fetch(`${rig!.signal.url}/v1/p`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ anonymousId: 'a-1' }),
    }).then((response) => response.status);
  }

  function sendSigned(key: string, secret: string): Promise<number> {
    const body = JSON.stringify({ type: 'track', event: 'Order Shipped', userId: 'user-123' });
    const timestamp = String(Date.now());

    return fetch(`${rig!.signal.url}/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${key}`,
        'x-timestamp': timestamp,
        'x-signature': signBody(secret, timestamp, body),
      },
      body,
    }).then((response) => response.status);
  }

  /** Runs the copied snippet on a page of the site, then a call it must queue and send. */
  async function collectsWithInlineSnippet(html: string): Promise<boolean> {
    const visit = await openVisit(suite!.browser, rig!.signal.url);
    try {
      await visit.page.goto(`${rig!.signal.url}${AWAY_PATH}`);
      const sent = visit.page.waitForRequest(
        (request) =>
          request.url().endsWith('/v1/batch') &&
          (request.postData() ?? '').includes('Installed From The UI'),
      );
      const code = html.replace(/^<script>/, '').replace(/<\/script>$/, '');
      await visit.run(`${code}\ndatafly.track("Installed From The UI");`);
      await sent;
      return visit.errors.length === 0;
    } finally {
      await visit.close();
    }
  }
});
