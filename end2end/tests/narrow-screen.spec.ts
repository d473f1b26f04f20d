import { expect, test } from './fixtures';
import { type Page } from '@playwright/test';
import { hydrated, inviteUsers, newPerson, orgPath, signUp, uniqueEmail } from './helpers';

test.use({ viewport: { width: 375, height: 740 } });

/** The page fits the screen: nothing makes the document scroll sideways. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${what} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

test('on a phone, the members, invitations and audit log lists stack into cards that fit the screen', async ({ page }) => {
  const nia = newPerson('nia');
  await signUp(page, nia);
  const org = orgPath(page);

  await page.goto(`${org}/members`);
  await hydrated(page);
  const members = page.getByRole('table', { name: 'Active users' });
  await expect(members.getByRole('cell', { name: new RegExp(nia.email) })).toBeVisible();
  // The column headings stay for screen readers but take no room; every value
  // shows its own label instead (left out of its accessible name).
  const headings = await members.getByRole('rowgroup').first().boundingBox();
  expect(headings?.height).toBeLessThanOrEqual(1);
  await expect(members.getByRole('columnheader', { name: 'Modules' })).toBeAttached();
  const label = await members.getByRole('cell', { name: /All/ }).first()
    .evaluate((cell) => getComputedStyle(cell, '::before').content);
  expect(label).toMatch(/^"Modules"/);
  await expectNoSidewaysScroll(page, 'Members');

  const guest = uniqueEmail('narrow.guest');
  await inviteUsers(page, [{ email: guest, role: 'Admin' }]);
  await page.getByRole('navigation', { name: 'Members' }).getByRole('link', { name: 'Invitations' }).click();
  await hydrated(page);
  const invitations = page.getByRole('table', { name: 'Open invitations' });
  await expect(invitations.getByRole('cell', { name: guest, exact: true })).toBeVisible();
  await expect(invitations.getByRole('button', { name: `Resend the invitation to ${guest}` })).toBeVisible();
  await expectNoSidewaysScroll(page, 'Invitations');

  // Every module of the navigation and every tab is on screen, none cut off.
  const nav = page.getByRole('navigation', { name: 'Organization' });
  for (const navigation of [nav, page.getByRole('navigation', { name: 'Members' })]) {
    for (const link of await navigation.getByRole('link').all()) {
      const box = await link.boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 375, `${await link.textContent()} fits`).toBe(true);
    }
  }
  await nav.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await hydrated(page);
  const events = page.getByRole('table', { name: 'Audit events' });
  await expect(events.getByRole('row').filter({ hasText: guest }).first()).toBeVisible();
  await expectNoSidewaysScroll(page, 'Audit log');
});
