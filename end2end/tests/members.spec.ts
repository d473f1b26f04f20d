import { expect, test, type Browser, type Page } from '@playwright/test';
import {
  PASSWORD,
  hydrated,
  invitationLink,
  inviteUsers,
  newPerson,
  orgPath,
  recordPageErrors,
  signUp,
  type Person,
  type RoleLabel,
} from './helpers';

let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = [];
  recordPageErrors(page, pageErrors);
});
test.afterEach(() => {
  expect(pageErrors, 'errors thrown in the browser').toEqual([]);
});

/** The owner invites `person` with `role`; the person joins in a browser context of their own. */
async function join(page: Page, browser: Browser, org: string, person: Person, role: RoleLabel): Promise<Page> {
  await page.goto(`${org}/members`);
  await hydrated(page);
  await inviteUsers(page, [{ email: person.email, role }]);
  const link = await invitationLink(page, person.email);
  const context = await browser.newContext();
  const other = await context.newPage();
  recordPageErrors(other, pageErrors);
  await other.goto(link);
  await hydrated(other);
  const form = other.getByRole('form', { name: 'Create your account' });
  await form.getByLabel('Your name').fill(person.name);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account and join' }).click();
  await expect(other).toHaveURL(new RegExp(`${org}$`));
  return other;
}

/** Opens a member's detail from Members → Active users. */
async function openMember(page: Page, org: string, person: Person): Promise<void> {
  await page.goto(`${org}/members`);
  await hydrated(page);
  await page.getByRole('table', { name: 'Active users' }).getByRole('link', { name: person.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: person.name })).toBeVisible();
  await hydrated(page);
}

test('an admin changes a member’s role and modules, and sees what the person can now do', async ({ page, browser }) => {
  const owner = newPerson('omar');
  await signUp(page, owner);
  const org = orgPath(page);
  const uma = newPerson('uma');
  const other = await join(page, browser, org, uma, 'User');
  await expect(other.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Members' })).toHaveCount(0);

  await openMember(page, org, uma);
  const can = page.getByRole('region', { name: 'What this person can do' });
  await expect(can).toContainText('No modules');
  const form = page.getByRole('form', { name: 'Role and permissions' });
  await form.getByLabel('Role').selectOption({ label: 'Billing admin' });
  await form.getByRole('checkbox', { name: 'Contacts' }).check();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(can).toContainText('Billing');
  await expect(can).toContainText('Contacts');
  await expect(can).toContainText('Partners');

  // The member's navigation follows after a reload: billing admins see Members.
  await other.reload();
  await hydrated(other);
  await expect(other.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Members' })).toBeVisible();
  await other.context().close();
});

test('deactivate a signed-in member: their next action is refused and says why; reactivate', async ({ page, browser }) => {
  const owner = newPerson('dora');
  await signUp(page, owner);
  const org = orgPath(page);
  const dan = newPerson('dan');
  const other = await join(page, browser, org, dan, 'Admin');

  await openMember(page, org, dan);
  await page.getByRole('button', { name: `Deactivate ${dan.name}` }).click();
  await expect(page.getByText(`Deactivate ${dan.name}? They keep their membership`)).toBeVisible();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Deactivate' }).click();
  await expect(page.getByText(`${dan.name} was deactivated.`)).toBeVisible();
  await expect(page.getByText('Deactivated', { exact: true })).toBeVisible();

  // Dan's open tab: the next page load is refused with the reason.
  await other.goto(`${org}/members`);
  await expect(other.getByText('Your access to this organization has been deactivated').first()).toBeVisible();

  await page.getByRole('button', { name: `Reactivate ${dan.name}` }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Reactivate' }).click();
  await expect(page.getByText(`${dan.name} was reactivated.`)).toBeVisible();
  await other.goto(`${org}/members`);
  await hydrated(other);
  await expect(other.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  await other.context().close();
});

test('remove a member, then invite them again', async ({ page, browser }) => {
  const owner = newPerson('rita');
  await signUp(page, owner);
  const org = orgPath(page);
  const ray = newPerson('ray');
  const other = await join(page, browser, org, ray, 'User');
  await other.context().close();

  await openMember(page, org, ray);
  await page.getByRole('button', { name: `Remove ${ray.name}` }).click();
  await expect(page.getByText(`Remove ${ray.name} from this organization?`)).toBeVisible();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Active users' })).not.toContainText(ray.email);

  await inviteUsers(page, [{ email: ray.email, role: 'User' }]);
  await page.getByRole('navigation', { name: 'Members' }).getByRole('link', { name: 'Invitations' }).click();
  await expect(page.getByRole('table', { name: 'Open invitations' })).toContainText(ray.email);
});

test('the last owner cannot step down', async ({ page }) => {
  const owner = newPerson('lou');
  await signUp(page, owner);
  const org = orgPath(page);
  await openMember(page, org, owner);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('(you)');
  const form = page.getByRole('form', { name: 'Role and permissions' });
  await form.getByLabel('Role').selectOption({ label: 'Admin' });
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(form.getByRole('alert')).toContainText('last active owner');
  await expect(page.getByRole('button', { name: /Remove/ })).toHaveCount(0);
});
