import { expect, test } from './fixtures';
import {
  confirm,
  hydrated,
  join,
  mainNav,
  newPerson,
  openMail,
  openMember,
  orgPath,
  signUp,
} from './helpers';

test('an owner transfers ownership and steps down; the new owner is told and can delete; the audit log shows it all', async ({ page, browser, pageErrors }) => {
  const olga = newPerson('olga');
  await signUp(page, olga);
  const org = orgPath(page);
  const ada = newPerson('ada');
  const other = await join(page, browser, org, ada, 'Admin', pageErrors);

  await openMember(page, org, ada);
  const ownership = page.getByRole('region', { name: 'Ownership' });
  await ownership.getByRole('button', { name: `Transfer ownership to ${ada.name}` }).click();
  await expect(page.getByText(`Transfer ownership to ${ada.name}? They get every module`)).toBeVisible();
  await confirm(page, 'Transfer ownership');
  await expect(page.getByRole('status').filter({ hasText: `${ada.name} is now an owner, and you are an admin.` })).toBeVisible();
  await expect(page.getByText(/Owner · Team member/)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Ownership' })).toHaveCount(0);

  // Olga, now an admin, no longer sees the owners' danger zone.
  await mainNav(page).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Sub-accounts' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Delete this organization' })).toHaveCount(0);

  // Ada reads the mail, and as owner finds the delete form.
  await openMail(other, ada.email, 'You are now an owner');
  await expect(other.getByRole('article', { name: 'Message' })).toContainText(`${olga.name} made you an owner`);
  await other.goto(`${org}/settings`);
  await hydrated(other);
  await expect(other.getByRole('heading', { name: 'Delete this organization' })).toBeVisible();
  await other.context().close();

  await mainNav(page).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await hydrated(page);
  const events = page.getByRole('table', { name: 'Audit events' });
  const made = events.getByRole('row').filter({ hasText: 'Made a member owner' });
  await expect(made).toContainText(ada.email);
  await expect(made).toContainText(olga.email);
  await expect(made).toContainText('Admin → Owner');
  await expect(events.getByRole('row').filter({ hasText: 'Accepted an invitation' })).toContainText(ada.email);
  await expect(events.getByRole('row').filter({ hasText: 'Sent an invitation' })).toContainText(ada.email.toLowerCase());
});

test('a member leaves from Account settings; the last owner cannot', async ({ page, browser, pageErrors }) => {
  const lena = newPerson('lena');
  await signUp(page, lena);
  const org = orgPath(page);
  const leo = newPerson('leo');
  const other = await join(page, browser, org, leo, 'User', pageErrors);

  await other.goto(`${org}/account`);
  await hydrated(other);
  await other.getByRole('button', { name: `Leave ${lena.organization}` }).click();
  await expect(other.getByText(`Leave ${lena.organization}? You lose access at once`)).toBeVisible();
  await confirm(other, 'Leave');
  await expect(other.getByRole('heading', { level: 1, name: 'My organizations' })).toBeVisible();
  await expect(other.getByText('You are not a member of any organization right now.')).toBeVisible();
  await other.goto(org);
  await expect(other.getByText('There is no organization at this address, or you are not a member of it.').first()).toBeVisible();
  await other.context().close();

  await page.goto(`${org}/account`);
  await hydrated(page);
  await page.getByRole('button', { name: `Leave ${lena.organization}` }).click();
  await confirm(page, 'Leave');
  await expect(page.getByRole('alert').filter({ hasText: 'last active owner' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Account settings' })).toBeVisible();

  await page.goto(`${org}/audit-log`);
  await hydrated(page);
  await expect(page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'Left the organization' })).toContainText(leo.email);
});

test('an owner deletes the organization after typing its name; its members are told', async ({ page, browser, pageErrors }) => {
  const dina = newPerson('dina');
  await signUp(page, dina);
  const org = orgPath(page);
  const dave = newPerson('dave');
  const other = await join(page, browser, org, dave, 'Admin', pageErrors);

  await page.goto(org);
  await hydrated(page);
  await mainNav(page).getByRole('link', { name: 'Settings' }).click();
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Delete this organization' });
  await form.getByLabel(`Type “${dina.organization}” to confirm`).fill('something else');
  await form.getByRole('button', { name: 'Delete organization' }).click();
  await expect(form.getByRole('alert')).toContainText(`Type the organization's name exactly as shown, "${dina.organization}"`);
  await expect(page).toHaveURL(new RegExp(`${org}/settings$`));

  await form.getByLabel(`Type “${dina.organization}” to confirm`).fill(dina.organization);
  await form.getByRole('button', { name: 'Delete organization' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My organizations' })).toBeVisible();
  await expect(page.getByText('You are not a member of any organization right now.')).toBeVisible();

  await other.goto(org);
  await expect(other.getByText('There is no organization at this address, or you are not a member of it.').first()).toBeVisible();
  await openMail(other, dave.email, `${dina.organization} was deleted`);
  await expect(other.getByRole('article', { name: 'Message' })).toContainText(`${dina.name} deleted the organization`);
  await other.context().close();
});
