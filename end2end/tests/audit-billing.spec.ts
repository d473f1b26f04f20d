import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { type Page } from '@playwright/test';
import {
  confirm,
  hydrated,
  join,
  mainNav,
  newPerson,
  openMember,
  orgPath,
  signUp,
} from './helpers';

/** Clicks `button` and returns the text of the file the browser downloads. */
async function download(page: Page, button: string, filename: string): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  expect(file.suggestedFilename()).toBe(filename);
  return readFileSync(await file.path(), 'utf8');
}

test('the audit log shows role, permission and status changes with before and after, filters them and exports CSV', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('audra');
  await signUp(page, owner);
  const org = orgPath(page);
  const ivy = newPerson('ivy');
  const other = await join(page, browser, org, ivy, 'User', pageErrors);
  await other.context().close();

  await openMember(page, org, ivy);
  const form = page.getByRole('form', { name: 'Role and permissions' });
  await form.getByLabel('Role').selectOption({ label: 'Admin' });
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.getByRole('button', { name: `Deactivate ${ivy.name}` }).click();
  await confirm(page, 'Deactivate');
  await expect(page.getByText(`${ivy.name} was deactivated.`)).toBeVisible();

  await mainNav(page).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await hydrated(page);
  const events = page.getByRole('table', { name: 'Audit events' });
  const changed = events.getByRole('row').filter({ hasText: "Changed a member's role or permissions" });
  await expect(changed).toContainText('User → Admin');
  await expect(changed).toContainText(ivy.email);
  await expect(events.getByRole('row').filter({ hasText: 'Deactivated a member' })).toContainText(ivy.email);

  await page.getByLabel('Action').selectOption({ label: 'Deactivated a member' });
  await expect(events.getByRole('row')).toHaveCount(2);
  await expect(page.getByText('1 event', { exact: true })).toBeVisible();
  await page.getByLabel('Action').selectOption({ label: 'All actions' });
  await page.getByLabel('Person').fill('nobody-matches-this');
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  await page.getByLabel('Person').fill(ivy.email);
  await expect(changed).toBeVisible();
  await page.getByLabel('From').fill('2001-01-01');
  await page.getByLabel('To').fill('2001-01-31');
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  await page.getByLabel('To').fill('2000-12-31');
  await expect(page.getByRole('alert').filter({ hasText: 'The last day is before the first day.' })).toBeVisible();
  await page.getByLabel('From').fill('');
  await page.getByLabel('To').fill('');
  await expect(changed).toBeVisible();

  const csv = await download(page, 'Export CSV', 'audit-log.csv');
  const lines = csv.trim().split('\n');
  expect(lines[0]).toBe('time,action,actor_name,actor_email,target,changes');
  expect(csv).toContain('member.access_changed');
  expect(csv).toContain('role: User -> Admin');
});

test('billing details with a field error, seats now and by month, and the seat CSV', async ({ page }) => {
  const owner = newPerson('bob');
  await signUp(page, owner);
  await mainNav(page).getByRole('link', { name: 'Billing' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Billing' })).toBeVisible();
  await hydrated(page);
  const seats = page.getByRole('region', { name: 'Seats now' });
  await expect(seats.getByRole('group', { name: 'Team members' })).toContainText('1');
  await expect(seats.getByRole('group', { name: 'Pending invitations' })).toContainText('0');
  await expect(seats.getByRole('group', { name: 'Seats in all' })).toContainText('1');

  const form = page.getByRole('form', { name: 'Billing details' });
  await form.getByLabel('Billing contact').fill('Bea Bills');
  await form.getByLabel('Billing email').fill('not an address');
  await form.getByLabel('Tax ID').fill('DE12;34');
  await form.getByRole('button', { name: 'Save billing details' }).click();
  await expect(form.getByText("A tax ID holds letters, digits, spaces, '-', '.' and '/', not ';'.")).toBeVisible();
  await expect(form.getByLabel('Tax ID')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Billing email')).toHaveAttribute('aria-invalid', 'true');

  await form.getByLabel('Billing email').fill(`bills.${owner.email}`);
  await form.getByLabel('Billing address').fill('1 Main Street\nSpringfield');
  await form.getByLabel('Tax ID').fill('DE123456789');
  await form.getByRole('button', { name: 'Save billing details' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The billing details were saved.' })).toBeVisible();
  await page.reload();
  await hydrated(page);
  await expect(page.getByRole('form', { name: 'Billing details' }).getByLabel('Tax ID')).toHaveValue('DE123456789');

  const months = page.getByRole('table', { name: 'Seats by month' });
  await expect(months.getByRole('row')).toHaveCount(2);
  const csv = await download(page, 'Export CSV', 'seat-usage.csv');
  expect(csv.split('\n')[0]).toBe('month,team_members,partners,pending_invitations,total');
  expect(csv).toMatch(/^\d{4}-\d{2},1,0,0,1$/m);
});
