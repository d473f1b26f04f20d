import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { hydrated, newPerson, signUp } from './helpers';

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `accessibility violations on ${what}`).toEqual([]);
}

test('signed-out pages have no accessibility violations', async ({ page }) => {
  for (const path of ['/', '/signup', '/login', '/forgot-password', '/reset-password?token=forged', '/no-such-page', '/dev/mailbox']) {
    await page.goto(path);
    if (path !== '/dev/mailbox') await hydrated(page);
    await expectNoViolations(page, path);
  }
});

test('signed-in pages and forms with errors have no accessibility violations', async ({ page }) => {
  const fay = newPerson('fay');
  await signUp(page, fay);
  await hydrated(page);
  await expectNoViolations(page, 'organization home');
  await page.getByRole("button", { name: `${fay.name} account menu` }).click();
  await expectNoViolations(page, 'open user menu');
  await page.getByRole('link', { name: 'Account settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account settings' })).toBeVisible();
  await hydrated(page);
  await expectNoViolations(page, 'account settings');

  await page.goto('/dev/mailbox');
  await page.getByRole('link', { name: /Welcome to Consort/ }).first().click();
  await expectNoViolations(page, 'a mail in the development mailbox');

  await page.goto('/signup');
  await hydrated(page);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText('Enter your name.')).toBeVisible();
  await expectNoViolations(page, 'sign-up with errors');
});

test('members, invitations, settings, the invite dialog and the invitation page have no accessibility violations', async ({ page }) => {
  const hal = newPerson('hal');
  await signUp(page, hal);
  const org = page.url();
  await page.goto(`${org}/settings`);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expectNoViolations(page, 'settings');

  await page.goto(`${org}/members`);
  await hydrated(page);
  await expect(page.getByRole('table')).toBeVisible();
  await expectNoViolations(page, 'members');

  await page.getByRole('button', { name: 'Invite users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite users' });
  await dialog.getByLabel('Email addresses').fill(`guest.${Date.now()}@example.com, not-an-address,`);
  await expect(dialog.getByRole('list', { name: 'Addresses to invite' }).getByRole('listitem')).toHaveCount(2);
  await expectNoViolations(page, 'the invite dialog');
  await dialog.getByRole('button', { name: 'Check addresses' }).click();
  await expect(dialog.getByText('1 will be invited, 1 skipped.')).toBeVisible();
  await expectNoViolations(page, 'the report of the invite dialog');
  await dialog.getByRole('button', { name: 'Send 1 invitation' }).click();
  await expect(dialog.getByText(/1 invitation sent/)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.goto(`${org}/members/invitations`);
  await hydrated(page);
  await expect(page.getByRole('table')).toBeVisible();
  await expectNoViolations(page, 'invitations');

  await page.goto('/invitations/accept?token=forged');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'This invitation link is not valid' })).toBeVisible();
  await expectNoViolations(page, 'a broken invitation link');
});

test('the audit log, billing, contacts, deactivated users and a member’s detail have no accessibility violations', async ({ page }) => {
  const ida = newPerson('ida');
  await signUp(page, ida);
  const org = page.url();
  for (const [path, heading] of [
    ['/audit-log', 'Audit log'],
    ['/billing', 'Billing'],
    ['/contacts', 'Contacts'],
    ['/members/deactivated', 'Members'],
  ]) {
    await page.goto(`${org}${path}`);
    await hydrated(page);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectNoViolations(page, path);
  }
  await page.goto(`${org}/members`);
  await hydrated(page);
  await page.getByRole('table', { name: 'Active users' }).getByRole('link', { name: ida.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${ida.name} (you)` })).toBeVisible();
  await hydrated(page);
  await expectNoViolations(page, 'member detail');
});

test('the layout works on a narrow screen', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  const gus = newPerson('gus');
  await signUp(page, gus);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await expect(page.getByRole("button", { name: /account menu/ })).toBeVisible();
  for (const path of ['/members', '/audit-log', '/billing']) {
    await page.goto(`${new URL(page.url()).pathname.match(/^\/o\/[^/]+/)![0]}${path}`);
    await hydrated(page);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scroll, `page width of ${path}`).toBeLessThanOrEqual(375);
  }
});
