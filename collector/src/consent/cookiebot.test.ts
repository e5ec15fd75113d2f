import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseCookiebot } from './cookiebot.js';

const granted = (marketing: boolean) => ({
  categories: { necessary: true, preferences: false, statistics: true, marketing },
  canonical: { essential: true, functional: false, analytics: true, marketing },
  source: 'cookiebot',
});

it('reads the URL-encoded CookieConsent cookie into categories and canonical consent', () => {
  const cookie = encodeURIComponent(
    "{stamp:'9pTq2wKxLh==',necessary:true,preferences:false,statistics:true,marketing:true," +
      "method:'explicit',ver:1,utc:1733220000000,region:'gb'}",
  );

  assert.deepEqual(parseCookiebot(cookie), granted(true));
});

it('reads the same answer from the JSON of Cookiebot.consent', () => {
  const live = {
    stamp: 'x',
    necessary: true,
    preferences: false,
    statistics: true,
    marketing: false,
  };

  assert.deepEqual(parseCookiebot(JSON.stringify(live)), granted(false));
});

it('grants every category when Cookiebot says consent is not required (-1)', () => {
  assert.deepEqual(parseCookiebot('-1'), {
    categories: { necessary: true, preferences: true, statistics: true, marketing: true },
    canonical: { essential: true, functional: true, analytics: true, marketing: true },
    source: 'cookiebot',
  });
});

it('reads no consent from a cookie without categories', () => {
  assert.equal(parseCookiebot("{stamp:'x'}"), undefined);
  assert.equal(parseCookiebot(undefined), undefined);
});
