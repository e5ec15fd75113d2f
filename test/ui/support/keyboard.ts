/**
 * Moving through a page with the keyboard alone, as a person without a mouse would: Tab (or
 * Shift+Tab) until a control is focused, checking that the focus can be seen on the way.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';

/** More than any page of the UI has before the control a test is looking for. */
const MAX_PRESSES = 80;

export interface Focused {
  tag: string;
  /** The accessible name as a person reads it: aria-label, else its label, else its text. */
  name: string;
  /** Inside `<nav aria-label="Main">`. */
  inNav: boolean;
  /** Matches `:focus-visible` and draws an outline. */
  visible: boolean;
}

/** Source text: the test runner's compiler would wrap a named function in a missing helper. */
const FOCUSED_PROBE = `(() => {
  const element = document.activeElement;
  if (!element || element === document.body) {
    return { tag: 'body', name: '', inNav: false, visible: false };
  }
  const style = getComputedStyle(element);
  const label =
    element.getAttribute('aria-label') || element.labels?.[0]?.textContent || element.textContent;
  const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  return {
    tag: element.tagName.toLowerCase(),
    name: (label || '').trim(),
    inNav: element.closest('nav[aria-label="Main"]') !== null,
    visible: element.matches(':focus-visible') && outlined,
  };
})()`;

export function focused(page: Page): Promise<Focused> {
  return page.evaluate(FOCUSED_PROBE) as Promise<Focused>;
}

/**
 * Presses Tab (Shift+Tab when `backwards`) until the focused element is `tag` named `name`
 * (and, with `inNav`, in the main navigation); fails if it never is, or if its focus cannot be
 * seen.
 */
export async function tabTo(
  page: Page,
  tag: string,
  name: string | RegExp,
  options: { backwards?: boolean; inNav?: boolean } = {},
): Promise<void> {
  for (let press = 0; press < MAX_PRESSES; press += 1) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    const named = typeof name === 'string' ? now.name === name : name.test(now.name);
    if (now.tag !== tag || !named || (options.inNav === true && !now.inNav)) continue;

    assert.ok(now.visible, `the focus on ${tag} "${now.name}" is visible`);
    return;
  }
  assert.fail(`no ${tag} named ${String(name)} within ${MAX_PRESSES} presses`);
}
