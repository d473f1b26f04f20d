import { expect, test } from './fixtures';
import { type Locator, type Page } from '@playwright/test';
import {
  PASSWORD,
  expireInvitations,
  hydrated,
  invitationLink,
  inviteUsers,
  logOut,
  newPerson,
  openInvitationsTab,
  orgPath,
  recordPageErrors,
  signUp,
  uniqueEmail,
} from './helpers';

/** The table of open invitations on Members → Invitations. */
function openInvitations(page: Page): Locator {
  return page.getByRole('table', { name: 'Open invitations' });
}

/** Checks the cells of one row of a table, in order (a cell may say more than the text given). */
async function expectCells(row: Locator, texts: string[]): Promise<void> {
  const cells = row.getByRole('cell');
  await expect(cells).toHaveCount(texts.length);
  for (const [i, text] of texts.entries()) {
    await expect(cells.nth(i)).toContainText(text);
  }
}

function csvFile(text: string) {
  return { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(text) };
}

test('invite three people by paste, each with a role; the mail says when it expires', async ({ page }) => {
  const owner = newPerson('olga');
  await signUp(page, owner);
  await openInvitationsTab(page);
  await expect(page.getByText('No open invitations.')).toBeVisible();

  const [admin, billing, user] = [uniqueEmail('ada'), uniqueEmail('bill'), uniqueEmail('uma')];
  await page.getByRole('button', { name: 'Invite users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite users' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Team members' })).toBeChecked();
  // A pasted list with commas and semicolons turns into one chip per address.
  await dialog.getByLabel('Email addresses').fill(`${admin}, ${billing}; ${user}`);
  await expect(dialog.getByRole('list', { name: 'Addresses to invite' }).getByRole('listitem')).toHaveCount(3);
  await dialog.getByLabel(`Role for ${admin}`).selectOption({ label: 'Admin' });
  await dialog.getByLabel(`Role for ${billing}`).selectOption({ label: 'Billing admin' });
  await dialog.getByLabel(`Role for ${user}`).selectOption({ label: 'User' });
  await expect(dialog.getByLabel(`Role for ${admin}`)).toHaveValue('admin');
  await expect(dialog.getByLabel(`Role for ${billing}`)).toHaveValue('billing_admin');

  await dialog.getByRole('button', { name: 'Check addresses' }).click();
  await expect(dialog.getByText('3 will be invited, 0 skipped.')).toBeVisible();
  const report = dialog.getByRole('table', { name: 'What will happen to each address' });
  await expect(report.getByRole('columnheader')).toHaveText(['Row', 'Address', 'Role', 'Outcome']);
  await expectCells(report.getByRole('row').nth(1), ['1', admin, 'Admin', 'Will be invited']);
  await expectCells(report.getByRole('row').nth(2), ['2', billing, 'Billing admin', 'Will be invited']);
  await expectCells(report.getByRole('row').nth(3), ['3', user, 'User', 'Will be invited']);
  await dialog.getByRole('button', { name: 'Send 3 invitations' }).click();
  await expect(dialog.getByText('3 invitations sent.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  const table = openInvitations(page);
  await expect(table.getByRole('row')).toHaveCount(4);
  await expectCells(table.getByRole('row').filter({ hasText: admin }), [admin, 'Admin', 'Pending', owner.name, '', '', '', '']);
  await expectCells(table.getByRole('row').filter({ hasText: billing }), [billing, 'Billing admin', 'Pending', owner.name, '', '', '', '']);
  await expectCells(table.getByRole('row').filter({ hasText: user }), [user, 'User', 'Pending', owner.name, '', '', '', '']);
  await expect(page.getByText('3 open invitations')).toBeVisible();

  await invitationLink(page, billing);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${owner.name} invited you to ${owner.organization} on Consort`);
  const message = page.getByRole('article', { name: 'Message' });
  await expect(message).toContainText(`${owner.name} invited you to join ${owner.organization} on Consort as a team member with the role Billing admin.`);
  await expect(message).toContainText(/It works once and expires on \S/);
});

test('upload a CSV with good and bad rows, read the report, send the valid part', async ({ page }) => {
  const owner = newPerson('carla');
  await signUp(page, owner);
  await openInvitationsTab(page);

  const admin = uniqueEmail('csv-admin');
  const user = uniqueEmail('csv-user');
  const chief = uniqueEmail('csv-chief');
  const disposable = `${uniqueEmail('temp').split('@')[0]}@mailinator.com`;
  const csv = [
    'email,role,modules,sub_accounts',
    `${admin},admin,,`,
    `${user},user,contacts,`,
    'not-an-address,user,,',
    `${chief},chief,,`,
    `${disposable},user,,`,
    `${admin},user,,`,
  ].join('\n');

  await page.getByRole('button', { name: 'Invite users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite users' });
  await expect(dialog.getByRole('link', { name: 'Sample CSV' })).toHaveAttribute('href', '/sample-invitations.csv');
  await dialog.getByLabel('Upload CSV file').setInputFiles(csvFile(csv));

  await expect(dialog.getByText('2 will be invited, 4 skipped. (from people.csv)')).toBeVisible();
  const report = dialog.getByRole('table', { name: 'What will happen to each address' });
  await expect(report.getByRole('columnheader')).toHaveText(['Row', 'Address', 'Role', 'Outcome']);
  const rows = report.getByRole('row');
  await expect(rows).toHaveCount(7);
  await expectCells(rows.nth(1), ['2', admin, 'Admin', 'Will be invited']);
  await expectCells(rows.nth(2), ['3', user, 'User', 'Will be invited']);
  await expectCells(rows.nth(3), ['4', 'not-an-address', '', 'Invalid']);
  await expectCells(rows.nth(4), ['5', chief, '—', 'Invalid']);
  await expect(rows.nth(4)).toContainText('Unknown role "chief"');
  await expectCells(rows.nth(5), ['6', disposable, 'User', 'Disposable address']);
  await expectCells(rows.nth(6), ['7', admin, 'User', 'Duplicate in this list']);
  await expect(rows.nth(6)).toContainText('This address already appears in row 2.');

  const download = dialog.getByRole('link', { name: 'Download report' });
  await expect(download).toHaveAttribute('download', 'invitation-report.csv');
  await expect(download).toHaveAttribute('href', /^data:text\/csv/);
  const href = (await download.getAttribute('href'))!;
  const reportCsv = decodeURIComponent(href.slice(href.indexOf(',') + 1));
  expect(reportCsv.split('\n')[0]).toBe('row,email,kind,role,outcome,details');
  expect(reportCsv).toContain(`2,${admin},team,admin,Will be invited,An invitation will be sent.`);
  expect(reportCsv).toContain(`3,${user},team,user,Will be invited`);
  expect(reportCsv).toContain(`6,${disposable},team,user,Disposable address`);
  expect(reportCsv).toContain(`7,${admin},team,user,Duplicate in this list`);

  await dialog.getByRole('button', { name: 'Send 2 invitations' }).click();
  await expect(dialog.getByText('2 invitations sent.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();

  const table = openInvitations(page);
  await expect(table.getByRole('row')).toHaveCount(3);
  await expectCells(table.getByRole('row').filter({ hasText: admin }), [admin, 'Admin', 'Pending', owner.name, '', '', '', '']);
  await expectCells(table.getByRole('row').filter({ hasText: user }), [user, 'User', 'Pending', owner.name, '', '', '', '']);
  await expect(page.getByText('2 open invitations')).toBeVisible();
});

test('a CSV with a wrong header is refused with the unknown column named, and nothing is sent', async ({ page }) => {
  const owner = newPerson('hector');
  await signUp(page, owner);
  await openInvitationsTab(page);

  await page.getByRole('button', { name: 'Invite users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite users' });
  const someone = uniqueEmail('someone');
  await dialog.getByLabel('Upload CSV file').setInputFiles(csvFile(`email,role,team\n${someone},user,north\n`));
  await expect(dialog.getByRole('alert')).toContainText('Unknown column "team" in the header');
  await expect(dialog.getByRole('alert')).toContainText('email,role,modules,sub_accounts');
  await expect(dialog.getByRole('table', { name: 'What will happen to each address' })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: /^Send/ })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close' }).click();

  await page.reload();
  await hydrated(page);
  await expect(page.getByText('No open invitations.')).toBeVisible();
});

test('resend one: the old link is refused and the new one works', async ({ page }) => {
  const owner = newPerson('rita');
  await signUp(page, owner);
  const org = orgPath(page);
  await openInvitationsTab(page);
  const guest = uniqueEmail('guest');
  await inviteUsers(page, [{ email: guest }]);

  const first = await invitationLink(page, guest);

  await page.goto(org);
  await hydrated(page);
  await openInvitationsTab(page);
  await page.getByRole('button', { name: `Resend the invitation to ${guest}` }).click();
  await expect(page.getByText(`A new invitation was sent to ${guest}; the previous link no longer works.`)).toBeVisible();
  await expect(openInvitations(page).getByRole('row').filter({ hasText: guest })).toContainText('(sent 2 times)');

  const second = await invitationLink(page, guest, first);

  await page.goto(first);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'This invitation link is not valid' })).toBeVisible();

  await page.goto(second);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Your invitation' })).toBeVisible();
  await expect(page.getByText(`${owner.name} invited you to join ${owner.organization} as a team member.`)).toBeVisible();
});

test('cancel one after confirming: it leaves the tab and its link says it was cancelled', async ({ page }) => {
  const owner = newPerson('carl');
  await signUp(page, owner);
  const org = orgPath(page);
  await openInvitationsTab(page);
  const [stays, goes] = [uniqueEmail('stays'), uniqueEmail('goes')];
  await inviteUsers(page, [{ email: stays }, { email: goes }]);
  const link = await invitationLink(page, goes);

  await page.goto(org);
  await hydrated(page);
  await openInvitationsTab(page);
  const table = openInvitations(page);
  await expect(table.getByRole('row')).toHaveCount(3);

  // The first click only asks; "Keep" leaves it alone.
  await page.getByRole('button', { name: `Cancel the invitation to ${goes}` }).click();
  await expect(page.getByText(`Cancel the invitation to ${goes}? Its link stops working.`)).toBeVisible();
  await page.getByRole('button', { name: 'Keep' }).click();
  await expect(page.getByText(`Cancel the invitation to ${goes}? Its link stops working.`)).toBeHidden();
  await expect(table.getByRole('row')).toHaveCount(3);

  await page.getByRole('button', { name: `Cancel the invitation to ${goes}` }).click();
  await page.getByRole('button', { name: 'Cancel invitation', exact: true }).click();
  await expect(page.getByText(`The invitation to ${goes} was cancelled.`)).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row').filter({ hasText: goes })).toHaveCount(0);
  await expect(table.getByRole('row').filter({ hasText: stays })).toHaveCount(1);

  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'This invitation was cancelled' })).toBeVisible();
});

test('accept as a new person: create the account from the link and land in the organization', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('nora');
  await signUp(page, owner);
  const org = orgPath(page);
  await openInvitationsTab(page);
  const nia = newPerson('nia');
  await inviteUsers(page, [{ email: nia.email, role: 'Admin' }]);
  const link = await invitationLink(page, nia.email);

  const context = await browser.newContext();
  const guest = await context.newPage();
  recordPageErrors(guest, pageErrors);
  await guest.goto(link);
  await hydrated(guest);
  await expect(guest.getByRole('heading', { level: 1, name: 'Your invitation' })).toBeVisible();
  await expect(guest.getByText(`${owner.name} invited you to join ${owner.organization} as a team member.`)).toBeVisible();
  const form = guest.getByRole('form', { name: 'Create your account' });
  await expect(form.getByLabel('Email')).toHaveValue(nia.email);
  await expect(form.getByLabel('Email')).toHaveAttribute('readonly', '');
  await form.getByLabel('Your name').fill(nia.name);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account and join' }).click();
  await expect(guest).toHaveURL(new RegExp(`${org}$`));
  await expect(guest.getByRole('heading', { level: 1, name: owner.organization })).toBeVisible();
  await expect(guest.getByText('You are Admin here')).toBeVisible();
  await context.close();

  // The owner sees the new member among the active users, and the invitation is gone.
  await page.goto(org);
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('link', { name: 'Active users' })).toHaveAttribute('aria-current', 'page');
  const members = page.getByRole('table', { name: 'Active users' });
  await expectCells(members.getByRole('row').filter({ hasText: nia.email }), [`${nia.name}${nia.email}`, 'Admin', 'Team member', 'All', 'All', '', '']);
  await page.getByRole('navigation', { name: 'Members' }).getByRole('link', { name: 'Invitations' }).click();
  await expect(page.getByText('No open invitations.')).toBeVisible();

  // The link is used up.
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'This invitation has already been used' })).toBeVisible();
});

test('accept as an existing user: log in from the invitation, accept, and switch between both organizations', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('paula');
  await signUp(page, owner);
  const org = orgPath(page);

  const context = await browser.newContext();
  const other = await context.newPage();
  recordPageErrors(other, pageErrors);
  const bruno = newPerson('bruno');
  await signUp(other, bruno);
  await logOut(other, bruno.name);

  await openInvitationsTab(page);
  await inviteUsers(page, [{ email: bruno.email }], { partners: true });
  await expect(openInvitations(page).getByRole('row').filter({ hasText: bruno.email })).toContainText('User · partner');
  const link = await invitationLink(page, bruno.email);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText('as a partner with the role User');

  await other.goto(link);
  await hydrated(other);
  await expect(other.getByText(`${owner.name} invited you to join ${owner.organization} as a partner.`)).toBeVisible();
  await expect(other.getByText(`An account with the address ${bruno.email} already exists.`)).toBeVisible();
  await other.getByRole('link', { name: 'Log in to accept' }).click();
  await expect(other).toHaveURL(/\/login\?next=/);
  await hydrated(other);
  await other.getByLabel('Email').fill(bruno.email);
  await other.getByLabel('Password').fill(bruno.password);
  await other.getByRole('button', { name: 'Log in' }).click();

  await expect(other).toHaveURL(/\/invitations\/accept\?token=/);
  await expect(other.getByRole('heading', { level: 1, name: 'Your invitation' })).toBeVisible();
  await other.getByRole('button', { name: 'Accept invitation' }).click();
  await expect(other).toHaveURL(new RegExp(`${org}$`));
  await expect(other.getByRole('heading', { level: 1, name: owner.organization })).toBeVisible();
  await expect(other.getByText('You are User here (partner)')).toBeVisible();

  const switcher = other.getByRole('button', { name: `${owner.organization} — switch organization` });
  await switcher.click();
  await expect(switcher).toHaveAttribute('aria-expanded', 'true');
  const organizations = other.getByRole('listbox', { name: 'Your organizations' });
  await expect(organizations.getByRole('option', { name: owner.organization })).toHaveAttribute('aria-selected', 'true');
  await expect(organizations.getByRole('option', { name: owner.organization })).toContainText('User · Partner · current');
  await organizations.getByRole('option', { name: bruno.organization }).click();
  await expect(other.getByRole('heading', { level: 1, name: bruno.organization })).toBeVisible();
  await context.close();

  await page.goto(org);
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Members' }).click();
  await expectCells(page.getByRole('table', { name: 'Active users' }).getByRole('row').filter({ hasText: bruno.email }), [`${bruno.name}${bruno.email}`, 'User', 'Partner', '—', 'All', '', '']);
});

test('a link opened while signed in as someone else: log out and continue', async ({ page }) => {
  const owner = newPerson('wanda');
  await signUp(page, owner);
  const org = orgPath(page);
  await openInvitationsTab(page);
  const invited = uniqueEmail('invited');
  await inviteUsers(page, [{ email: invited }]);
  const link = await invitationLink(page, invited);

  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('alert')).toHaveText(`This invitation is for ${invited}, but you are signed in as ${owner.email}.`);
  await expect(page.getByRole('form', { name: 'Create your account' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Log out and continue' }).click();

  await expect(page).toHaveURL(link);
  await expect(page.getByRole('form', { name: 'Create your account' })).toBeVisible();
  await expect(page.getByText('but you are signed in as')).toHaveCount(0);
  await expect(page.getByRole('form', { name: 'Create your account' }).getByLabel('Email')).toHaveValue(invited);

  // Signed out for real: the organization asks for a log-in.
  await page.goto(org);
  await expect(page).toHaveURL(/\/login\?next=/);
});

test('an expired invitation: its page says so, the Expired filter lists it, and a resend revives it', async ({ page }) => {
  const owner = newPerson('edgar');
  await signUp(page, owner);
  const org = orgPath(page);
  await openInvitationsTab(page);
  const late = uniqueEmail('late');
  await inviteUsers(page, [{ email: late }]);
  const first = await invitationLink(page, late);

  expect(expireInvitations(late)).toBe(1);
  await page.goto(first);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'This invitation has expired' })).toBeVisible();

  await page.goto(org);
  await hydrated(page);
  await openInvitationsTab(page);
  const table = openInvitations(page);
  await expect(table.getByRole('row').filter({ hasText: late })).toContainText('Expired');
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Pending' });
  await expect(page.getByText('No open invitations.')).toBeVisible();
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Expired' });
  await expectCells(table.getByRole('row').filter({ hasText: late }), [late, 'User', 'Expired', owner.name, '', '', '', '']);

  await page.getByRole('button', { name: `Resend the invitation to ${late}` }).click();
  await expect(page.getByText(`A new invitation was sent to ${late}; the previous link no longer works.`)).toBeVisible();
  await expect(page.getByText('No open invitations.')).toBeVisible();
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Pending' });
  await expectCells(table.getByRole('row').filter({ hasText: late }), [late, 'User', 'Pending', owner.name, '', '', '', '']);

  const second = await invitationLink(page, late, first);
  await page.goto(second);
  await hydrated(page);
  await expect(page.getByText(`${owner.name} invited you to join ${owner.organization} as a team member.`)).toBeVisible();
});
