import { expect, test } from './fixtures';
import {
  confirm,
  hydrated,
  inviteUsers,
  join,
  mainNav,
  newPerson,
  openMail,
  openMember,
  orgPath,
  signUp,
} from './helpers';

test('an admin changes a member’s role and modules, and the member’s navigation follows after a reload', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('omar');
  await signUp(page, owner);
  const org = orgPath(page);
  const uma = newPerson('uma');
  const other = await join(page, browser, org, uma, 'User', pageErrors);
  for (const link of ['Members', 'Contacts', 'Billing', 'Audit log', 'Settings']) {
    await expect(mainNav(other).getByRole('link', { name: link })).toHaveCount(0);
  }
  // Typing the address of a module is refused by the server, with the reason.
  await other.goto(`${org}/contacts`);
  await expect(other.getByRole('alert').filter({ hasText: 'does not include the Contacts module' })).toBeVisible();

  await openMember(page, org, uma);
  const can = page.getByRole('region', { name: 'What this person can do' });
  await expect(can).toContainText('No modules');
  const form = page.getByRole('form', { name: 'Role and permissions' });
  await form.getByRole('checkbox', { name: 'Contacts' }).check();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(can).toContainText('Contacts');

  await other.reload();
  await hydrated(other);
  await mainNav(other).getByRole('link', { name: 'Contacts' }).click();
  await expect(other.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  await expect(other.getByRole('list', { name: 'Contacts' })).toContainText(owner.email);
  await expect(mainNav(other).getByRole('link', { name: 'Members' })).toHaveCount(0);

  // Billing admin: Members (to read) and Billing appear too.
  await page.reload();
  await hydrated(page);
  await form.getByLabel('Role').selectOption({ label: 'Billing admin' });
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(can).toContainText('Billing');
  await other.reload();
  await hydrated(other);
  await expect(mainNav(other).getByRole('link', { name: 'Members' })).toBeVisible();
  await expect(mainNav(other).getByRole('link', { name: 'Billing' })).toBeVisible();
  await expect(mainNav(other).getByRole('link', { name: 'Settings' })).toHaveCount(0);
  await other.context().close();
});

test('deactivate a signed-in member: their next action is refused and says why; the Deactivated tab lists them; reactivate', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('dora');
  await signUp(page, owner);
  const org = orgPath(page);
  const dan = newPerson('dan');
  const other = await join(page, browser, org, dan, 'Admin', pageErrors);
  await other.goto(`${org}/members`);
  await hydrated(other);

  await openMember(page, org, dan);
  await page.getByRole('button', { name: `Deactivate ${dan.name}` }).click();
  await expect(page.getByText(`Deactivate ${dan.name}? They keep their membership`)).toBeVisible();
  await confirm(page, 'Deactivate');
  await expect(page.getByText(`${dan.name} was deactivated.`)).toBeVisible();
  await expect(page.getByText('Deactivated', { exact: true })).toBeVisible();

  // Dan's open tab: his next action (a search, through a server function) is refused with the reason.
  await other.getByLabel('Search members').fill(owner.name);
  await expect(other.getByRole('alert').filter({ hasText: 'Your access to this organization has been deactivated' })).toBeVisible();
  await other.goto(`${org}/members`);
  await expect(other.getByText('Your access to this organization has been deactivated').first()).toBeVisible();

  // Dan is told by mail.
  await openMail(page, dan.email, 'was deactivated');
  await expect(page.getByRole('article', { name: 'Message' })).toContainText(`${owner.name} deactivated your access`);

  await page.goto(`${org}/members`);
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Members' }).getByRole('link', { name: 'Deactivated users' }).click();
  const deactivated = page.getByRole('table', { name: 'Deactivated users' });
  await expect(deactivated).toContainText(dan.email);
  await expect(page.getByRole('table', { name: 'Active users' })).toHaveCount(0);
  await deactivated.getByRole('link', { name: dan.name }).click();
  await hydrated(page);
  await page.getByRole('button', { name: `Reactivate ${dan.name}` }).click();
  await confirm(page, 'Reactivate');
  await expect(page.getByText(`${dan.name} was reactivated.`)).toBeVisible();
  await other.goto(`${org}/members`);
  await hydrated(other);
  await expect(other.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  await other.context().close();
});

test('remove a member, then invite them again', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('rita');
  await signUp(page, owner);
  const org = orgPath(page);
  const ray = newPerson('ray');
  const other = await join(page, browser, org, ray, 'User', pageErrors);

  await openMember(page, org, ray);
  await page.getByRole('button', { name: `Remove ${ray.name}` }).click();
  await expect(page.getByText(`Remove ${ray.name} from this organization?`)).toBeVisible();
  await confirm(page, 'Remove');
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Active users' })).not.toContainText(ray.email);

  // Ray's session no longer opens the organization.
  await other.goto(org);
  await expect(other.getByText('There is no organization at this address, or you are not a member of it.').first()).toBeVisible();
  await other.context().close();

  await inviteUsers(page, [{ email: ray.email, role: 'User' }]);
  await page.getByRole('navigation', { name: 'Members' }).getByRole('link', { name: 'Pending invitations' }).click();
  await expect(page.getByRole('table', { name: 'Open invitations' })).toContainText(ray.email);
});

test('members sort by name, role and joining date, and search', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('zoe');
  await signUp(page, owner);
  const org = orgPath(page);
  const amy = newPerson('amy');
  const other = await join(page, browser, org, amy, 'User', pageErrors);
  await other.context().close();
  await page.goto(`${org}/members`);
  await hydrated(page);
  const table = page.getByRole('table', { name: 'Active users' });
  const firstRow = table.getByRole('row').nth(1);
  await expect(firstRow).toContainText(amy.email);
  await page.getByLabel('Sort by').selectOption({ label: 'Role, owners first' });
  await expect(firstRow).toContainText(owner.email);
  await page.getByLabel('Sort by').selectOption({ label: 'Joined, newest first' });
  await expect(firstRow).toContainText(amy.email);
  await page.getByLabel('Search members').fill('no such person');
  await expect(page.getByText('No members match your search.')).toBeVisible();
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
