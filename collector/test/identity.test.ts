import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { skipWithoutChromium } from '../../test/support/chromium.js';
import { testPage } from './support/browser-session.js';
import { useBrowserSuite } from './support/browser-suite.js';

describe('datafly.js identity', { skip: skipWithoutChromium() }, () => {
  const { server, session } = useBrowserSuite({ pages: { '/': testPage() } });

  it('delivers the seed example: identify, then track with the user id and OneTrust consent', async () => {
    await session.context.addCookies([
      {
        name: 'OptanonConsent',
        value:
          'isGpcEnabled=0&datestamp=Tue+Dec+03+2024+10%3A00%3A00+GMT%2B0000&version=202409.1.0' +
          '&groups=C0001%3A1%2CC0002%3A0%2CC0003%3A1%2CC0004%3A1&landingPath=NotLandingPage',
        url: server.origin,
      },
    ]);
    await session.page.goto(`${server.origin}/`);
    await server.waitForEvent((event) => event.type === 'page');

    await session.page.evaluate(() => {
      const datafly = window.datafly as import('../src/types.js').Datafly;
      datafly.identify('user-123', {
        email: 'Jane.Doe@Example.com ',
        first_name: 'Jane',
        last_name: 'Doe',
        phone: '+44 7700 900123',
      });
      datafly.track('Signed Up');
    });
    const signedUp = await server.waitForEvent((event) => event.event === 'Signed Up');

    const traits = {
      email: 'Jane.Doe@Example.com ',
      first_name: 'Jane',
      last_name: 'Doe',
      phone: '+44 7700 900123',
    };
    const identify = server.delivered().find((event) => event.type === 'identify')!;
    assert.equal(identify.userId, 'user-123');
    assert.deepEqual(identify.traits, traits);
    assert.equal(signedUp.type, 'track');
    assert.equal(signedUp.userId, 'user-123');
    assert.deepEqual(signedUp.properties, {});
    assert.equal(signedUp.context.locale, 'en');
    assert.deepEqual(signedUp.context.traits, traits);
    assert.deepEqual(signedUp.context.consent, {
      categories: { C0001: true, C0002: false, C0003: true, C0004: true },
      source: 'onetrust',
    });
    assert.deepEqual(session.errors, []);
  });

  it('keeps the user id and merged traits across a reload', async () => {
    await session.page.goto(`${server.origin}/`);
    await session.call('identify', 'user-7', { plan: 'free', city: 'Ghent' });
    await session.call('identify', { plan: 'pro' });

    await session.page.reload();
    const afterReload = await server.waitForEvent(
      (event) => event.type === 'page' && event.userId === 'user-7',
    );

    const identifies = server.delivered().filter((event) => event.type === 'identify');
    assert.deepEqual(
      identifies.map((event) => [event.userId, event.traits]),
      [
        ['user-7', { plan: 'free', city: 'Ghent' }],
        ['user-7', { plan: 'pro', city: 'Ghent' }],
      ],
    );
    assert.deepEqual(afterReload.context.traits, { plan: 'pro', city: 'Ghent' });
    assert.deepEqual(session.errors, []);
  });

  it('forgets the user id and traits on reset, here and after a reload', async () => {
    await session.page.goto(`${server.origin}/`);
    await session.call('identify', 'user-9', { email: 'nine@example.com' });
    await session.call('track', 'Before Reset');
    await session.call('reset');
    await session.call('track', 'After Reset');
    await server.waitForEvent((event) => event.event === 'After Reset');
    await session.page.reload();
    const [, reloaded] = await server.waitForEvents((event) => event.type === 'page', 2);

    const events = server.delivered();
    const before = events.find((event) => event.event === 'Before Reset')!;
    const afterReset = events.find((event) => event.event === 'After Reset')!;
    assert.equal(before.userId, 'user-9');
    assert.deepEqual(before.context.traits, { email: 'nine@example.com' });
    assert.equal(afterReset.userId, undefined);
    assert.equal(afterReset.context.traits, undefined);
    assert.equal(reloaded!.userId, undefined);
    assert.equal(reloaded!.context.traits, undefined);
    assert.deepEqual(session.errors, []);
  });
});
