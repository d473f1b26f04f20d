import { expect, test } from './fixtures';
import {
  PASSWORD,
  confirm,
  endPartnerAccess,
  hydrated,
  invitationLink,
  join,
  logOut,
  newPerson,
  openMail,
  openMember,
  orgPath,
  recordPageErrors,
  signUp,
} from './helpers';

test('a team member of another organization is refused as a team member and invited as a partner in one click', async ({ page, browser, pageErrors }) => {
  // Gil runs Globex: he is a team member there.
  const gil = newPerson('gil');
  const context = await browser.newContext();
  const other = await context.newPage();
  recordPageErrors(other, pageErrors);
  await signUp(other, gil);
  await logOut(other, gil.name);

  const owner = newPerson('olive');
  await signUp(page, owner);
  const org = orgPath(page);
  await page.goto(`${org}/members`);
  await hydrated(page);

  // Typed as a team member: reported before anything is sent.
  await page.getByRole('button', { name: 'Invite users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite users' });
  await expect(dialog.getByRole('radio', { name: 'Team members' })).toBeChecked();
  const addresses = dialog.getByLabel('Email addresses');
  await addresses.fill(gil.email);
  await addresses.press('Enter');
  await dialog.getByRole('button', { name: 'Check addresses' }).click();
  await expect(dialog.getByText('0 will be invited, 1 skipped.')).toBeVisible();
  const report = dialog.getByRole('table', { name: 'What will happen to each address' });
  const row = report.getByRole('row').filter({ hasText: gil.email });
  await expect(row).toContainText('Team member of another organization');
  await expect(row).toContainText('invite as partner instead');

  // One click switches that row to partner and checks again.
  await row.getByRole('button', { name: `Invite ${gil.email} as a partner instead` }).click();
  await expect(dialog.getByText('1 will be invited, 0 skipped.')).toBeVisible();
  await expect(row).toContainText('User · partner');
  await dialog.getByRole('button', { name: 'Send 1 invitation' }).click();
  await expect(dialog.getByText('1 invitation sent.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The mail says "as a partner"; Gil accepts and is a partner here.
  const link = await invitationLink(page, gil.email);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText('as a partner with the role User');
  await other.goto('/login');
  await hydrated(other);
  await other.getByLabel('Email').fill(gil.email);
  await other.getByLabel('Password').fill(PASSWORD);
  await other.getByRole('button', { name: 'Log in' }).click();
  await expect(other.getByRole('heading', { level: 1, name: gil.organization })).toBeVisible();
  await other.goto(link);
  await hydrated(other);
  await other.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(other).toHaveURL(new RegExp(`${org}$`));
  await expect(other.getByText('You are User here (partner)')).toBeVisible();

  // Members → Show: Partners lists Gil alone; his tile says Partner.
  await page.goto(`${org}/members`);
  await hydrated(page);
  const table = page.getByRole('table', { name: 'Active users' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await page.getByLabel('Show').selectOption({ label: 'Partners' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').filter({ hasText: gil.email })).toContainText('Partner');
  await page.getByLabel('Show').selectOption({ label: 'Team members' });
  await expect(table.getByRole('row').filter({ hasText: owner.email })).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: gil.email })).toHaveCount(0);

  // Gil cannot be made a team member here: he is one at Globex.
  await page.getByLabel('Show').selectOption({ label: 'Everyone' });
  await table.getByRole('link', { name: gil.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: gil.name })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText(`${gil.name} is a partner of this organization.`)).toBeVisible();
  await page.getByRole('button', { name: `Make team member: ${gil.name}` }).click();
  await confirm(page, 'Make team member');
  await expect(page.getByRole('alert')).toContainText('team member of another organization');
  await expect(page.getByText(`${gil.name} is a partner of this organization.`)).toBeVisible();
  await context.close();
});

test('"Invite partner" opens the dialog with partners chosen; a member is made a partner and told by email', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('petra');
  await signUp(page, owner);
  const org = orgPath(page);
  await page.goto(`${org}/members`);
  await hydrated(page);

  // The empty state of the Partners filter says what partners are.
  await page.getByLabel('Show').selectOption({ label: 'Partners' });
  await expect(page.getByText('No partners yet.')).toBeVisible();

  await page.getByRole('button', { name: 'Invite partner' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite partners' });
  await expect(dialog.getByRole('radio', { name: 'Partners' })).toBeChecked();
  const dee = newPerson('dee');
  const addresses = dialog.getByLabel('Email addresses');
  await addresses.fill(dee.email);
  await addresses.press('Enter');
  await expect(dialog.getByRole('list', { name: 'Addresses to invite' })).toContainText('Partner');
  await dialog.getByLabel(`Role for ${dee.email}`).selectOption({ label: 'Admin' });
  await dialog.getByRole('button', { name: 'Check addresses' }).click();
  await expect(dialog.getByText('1 will be invited, 0 skipped.')).toBeVisible();
  await expect(dialog.getByRole('table', { name: 'What will happen to each address' })).toContainText('Admin · partner');
  await dialog.getByRole('button', { name: 'Send 1 invitation' }).click();
  await expect(dialog.getByText('1 invitation sent.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await invitationLink(page, dee.email);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText('as a partner with the role Admin');

  // A team member is made a partner from their page, and told.
  const tom = newPerson('tom');
  const tomPage = await join(page, browser, org, tom, 'User', pageErrors);
  await openMember(page, org, tom);
  await expect(page.getByText(`${tom.name} is a team member of this organization.`)).toBeVisible();
  await page.getByRole('button', { name: `Make partner: ${tom.name}` }).click();
  await confirm(page, 'Make partner');
  await expect(page.getByRole('status').filter({ hasText: `${tom.name} is now a partner.` })).toBeVisible();
  await expect(page.getByText(`${tom.name} is a partner of this organization.`)).toBeVisible();
  await openMail(page, tom.email, `You are now a partner of ${owner.organization}`);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText(`${owner.name} made you a partner of ${owner.organization}`);
  await tomPage.context().close();
});

/** The UTC day `days` from today: as a date input takes it, and as the pages write it. */
function dayIn(days: number): { iso: string; long: string } {
  const at = new Date(Date.now() + days * 86_400_000);
  const iso = at.toISOString().slice(0, 10);
  const month = at.toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  return { iso, long: `${at.getUTCDate()} ${month} ${at.getUTCFullYear()}` };
}

test('a partner invited until a date; the end is extended, changed and removed; when it passes the organization leaves the switcher, and reactivation asks for a new end', async ({ page, browser, pageErrors }) => {
  // Several people, each in a browser context of their own: on a busy 2-core machine this takes longer than one page flow.
  test.slow();
  const owner = newPerson('ruth');
  await signUp(page, owner);
  const org = orgPath(page);

  // The partner runs an agency of her own.
  const ada = newPerson('ada');
  const context = await browser.newContext();
  const other = await context.newPage();
  recordPageErrors(other, pageErrors);
  await signUp(other, ada);
  const adaOrg = orgPath(other);

  // Invited as a partner until a day 20 days away.
  await page.goto(`${org}/members`);
  await hydrated(page);
  await page.getByRole('button', { name: 'Invite partner' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite partners' });
  const addresses = dialog.getByLabel('Email addresses');
  await addresses.fill(ada.email);
  await addresses.press('Enter');
  await dialog.getByRole('button', { name: 'Set permissions' }).click();
  const until = dayIn(20);
  await dialog.getByLabel("Partners' last day of access (optional)").fill(until.iso);
  await dialog.getByRole('button', { name: 'Check addresses' }).click();
  await expect(dialog.getByText('1 will be invited, 0 skipped.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Send 1 invitation' }).click();
  await expect(dialog.getByText('1 invitation sent.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  const link = await invitationLink(page, ada.email);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText(`with access until ${until.long}`);

  await other.goto(link);
  await hydrated(other);
  await expect(other.getByText(`${until.long} (inclusive)`)).toBeVisible();
  await other.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(other).toHaveURL(new RegExp(`${org}$`));

  // The owner sees the end on the member page, extends it, changes it, removes it.
  await openMember(page, org, ada);
  await expect(page.getByText(`Access until ${until.long} (inclusive, UTC).`)).toBeVisible();
  await page.getByRole('button', { name: `Extend ${ada.name}'s access by 30 days` }).click();
  await expect(page.getByRole('status').filter({ hasText: 'was extended by 30 days' })).toBeVisible();
  await expect(page.getByText(`Access until ${dayIn(50).long} (inclusive, UTC).`)).toBeVisible();
  const field = page.getByLabel('Last day of access');
  await field.fill(dayIn(-2).iso);
  await page.getByRole('button', { name: 'Save end date' }).click();
  await expect(page.getByRole('alert')).toContainText('is in the past');
  await expect(page.getByText(`Access until ${dayIn(50).long} (inclusive, UTC).`)).toBeVisible();
  await page.getByRole('button', { name: 'Remove end date' }).click();
  await expect(page.getByText('No end date: the access lasts until someone changes it.')).toBeVisible();
  await field.fill(dayIn(3).iso);
  await page.getByRole('button', { name: 'Save end date' }).click();
  await expect(page.getByText(`Access until ${dayIn(3).long} (inclusive, UTC).`)).toBeVisible();
  await openMail(page, ada.email, `Your access to ${owner.organization} now ends after ${dayIn(3).long}`);

  // The last day goes by: the job deactivates her and both sides are told.
  endPartnerAccess(ada.email);
  await expect(async () => {
    await openMail(page, ada.email, `Your access to ${owner.organization} has ended`);
  }).toPass({ timeout: 20_000 });
  await openMail(page, owner.email, `${owner.organization}: partner access ended (1)`);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText(ada.email);

  // Acme is gone from her switcher; opening it says she has no access there.
  await other.goto(adaOrg);
  await hydrated(other);
  await expect(other.getByRole('heading', { level: 1, name: ada.organization })).toBeVisible();
  await other.getByRole('button', { name: `${ada.organization} — switch organization` }).click();
  const organizations = other.getByRole('listbox', { name: 'Your organizations' });
  await expect(organizations.getByRole('option', { name: ada.organization })).toHaveAttribute('aria-selected', 'true');
  await expect(organizations.getByRole('option', { name: new RegExp(owner.organization) })).toHaveCount(0);
  await other.goto(org);
  await expect(other.getByText('Your access to this organization has been deactivated.')).toBeVisible();
  await expect(other.getByRole('link', { name: 'Go to your start page' })).toBeVisible();

  // Reactivation asks for a new end: a past day is refused, a later one accepted.
  await page.goto(`${org}/members/deactivated`);
  await hydrated(page);
  await page.getByRole('table', { name: 'Deactivated users' }).getByRole('link', { name: ada.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: ada.name })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: `Reactivate ${ada.name}` }).click();
  const confirmGroup = page.getByRole('group', { name: 'Confirm' });
  await confirmGroup.getByLabel('New last day of access (optional)').fill(dayIn(-1).iso);
  await confirmGroup.getByRole('button', { name: 'Reactivate', exact: true }).click();
  await expect(confirmGroup.getByRole('alert')).toContainText('is in the past');
  await confirmGroup.getByLabel('New last day of access (optional)').fill(dayIn(60).iso);
  await confirmGroup.getByRole('button', { name: 'Reactivate', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `${ada.name} was reactivated.` })).toBeVisible();
  await expect(page.getByText(`Access until ${dayIn(60).long} (inclusive, UTC).`)).toBeVisible();
  await context.close();
});
