import { expect, test } from './fixtures';
import {
  confirm,
  hydrated,
  invitationLink,
  join,
  newPerson,
  openMail,
  openMember,
  orgPath,
  signUp,
} from './helpers';

test('a removed member invited again gets back their former role and modules when the admin chooses to restore them', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('rhea');
  await signUp(page, owner);
  const org = orgPath(page);
  const ray = newPerson('ray');
  const rayPage = await join(page, browser, org, ray, 'User', pageErrors);

  // Ray becomes a billing admin with Contacts, then is removed.
  await openMember(page, org, ray);
  const form = page.getByRole('form', { name: 'Role and permissions' });
  await form.getByLabel('Role').selectOption({ label: 'Billing admin' });
  await form.getByRole('checkbox', { name: 'Contacts' }).check();
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'What this person can do' })).toContainText('Billing');
  await page.getByRole('button', { name: `Remove ${ray.name}` }).click();
  await expect(page.getByText(`Remove ${ray.name} from this organization?`)).toBeVisible();
  await confirm(page, 'Remove');
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  await hydrated(page);

  // Invited again: the check says what he had and offers to restore it.
  await page.getByRole('button', { name: 'Invite users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite users' });
  const addresses = dialog.getByLabel('Email addresses');
  await addresses.fill(ray.email);
  await addresses.press('Enter');
  await dialog.getByRole('button', { name: 'Check addresses' }).click();
  await expect(dialog.getByText('1 will be invited, 0 skipped.')).toBeVisible();
  const row = dialog.getByRole('table', { name: 'What will happen to each address' }).getByRole('row').filter({ hasText: ray.email });
  await expect(row).toContainText('Former member');
  await expect(row).toContainText(/Removed on \d{1,2} \w+ \d{4}; had Billing admin · modules: Contacts · all sub-accounts\./);
  await expect(row.getByRole('cell').nth(2)).toHaveText('User');
  const restore = row.getByRole('checkbox', { name: `Restore their former role, modules and sub-accounts: ${ray.email}` });
  await expect(restore).not.toBeChecked();
  await restore.check();
  await expect(row).toContainText('Former access restored');
  await expect(row.getByRole('cell').nth(2)).toHaveText('Billing admin');
  await expect(restore).toBeChecked();
  await dialog.getByRole('button', { name: 'Send 1 invitation' }).click();
  await expect(dialog.getByText('1 invitation sent.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The mail says so; Ray accepts and is a billing admin with Contacts again.
  const link = await invitationLink(page, ray.email);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText('You get back the access you had there before: the same role, modules and sub-accounts.');
  await rayPage.goto(link);
  await hydrated(rayPage);
  await rayPage.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(rayPage).toHaveURL(new RegExp(`${org}$`));
  await expect(rayPage.getByText('You are Billing admin here')).toBeVisible();

  await openMember(page, org, ray);
  await expect(page.getByRole('form', { name: 'Role and permissions' }).getByLabel('Role')).toHaveValue('billing_admin');
  await expect(page.getByRole('region', { name: 'What this person can do' })).toContainText('Contacts');
  await rayPage.context().close();
});

test('an owner deletes a partner: the partner is told by email and their next click explains it', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('dina');
  await signUp(page, owner);
  const org = orgPath(page);
  const pam = newPerson('pam');
  const pamPage = await join(page, browser, org, pam, 'User', pageErrors, { partners: true });
  await expect(pamPage.getByText('You are User here (partner)')).toBeVisible();

  // On a partner's page the button says what it does, and the question warns.
  await openMember(page, org, pam);
  await expect(page.getByRole('button', { name: `Remove ${pam.name}` })).toHaveCount(0);
  await page.getByRole('button', { name: `Delete user ${pam.name}` }).click();
  await expect(page.getByText(`Delete ${pam.name}? Their partner access to this organization ends at once and cannot be undone`)).toBeVisible();
  await confirm(page, 'Delete user');
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();

  // Pam's open tab: her next click (to Account settings) says what happened and
  // where to go, instead of the organization's cached page.
  await hydrated(pamPage);
  await pamPage.getByRole('button', { name: `${pam.name} account menu` }).click();
  await pamPage.getByRole('link', { name: 'Account settings' }).click();
  const panel = pamPage.getByRole('alert').filter({ hasText: 'Not found' });
  await expect(panel).toContainText('you are not a member of it');
  await expect(pamPage.getByRole('heading', { level: 1, name: owner.organization })).toHaveCount(0);
  await panel.getByRole('link', { name: 'See all your organizations' }).click();
  await expect(pamPage.getByRole('heading', { level: 1, name: 'My organizations' })).toBeVisible();

  await openMail(page, pam.email, `You were removed from ${owner.organization}`);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText(`${owner.name} removed you from ${owner.organization}`);
  await pamPage.context().close();
});
