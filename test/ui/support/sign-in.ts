/** Signs the admin in through the login form, for tests about what comes after. */
import type { Page } from 'playwright-core';
import { ADMIN } from './ui-rig.js';

export async function signIn(page: Page, uiUrl: string): Promise<void> {
  await page.goto(uiUrl);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview', exact: true }).waitFor();
}
