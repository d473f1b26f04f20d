import { expect, test } from './fixtures';
import {
  confirm,
  hydrated,
  inviteUsers,
  logIn,
  logOut,
  newPerson,
  openInvitationsTab,
  openMail,
  orgPath,
  recordPageErrors,
  signUp,
} from './helpers';

test('a partner accepts one invitation and declines another on My organizations; the inviter is told and can invite again', async ({ page, browser, pageErrors }) => {
  // Several people, each in a browser context of their own: on a busy 2-core machine this takes longer than one page flow.
  test.slow();
  // Two organizations invite Pia, who runs her own studio, as a partner.
  const acme = newPerson('olive');
  await signUp(page, acme);
  const acmeOrg = orgPath(page);
  await page.goto(`${acmeOrg}/members`);
  await hydrated(page);
  const pia = newPerson('pia');
  await inviteUsers(page, [{ email: pia.email, role: 'Admin' }], { partners: true });

  const globexContext = await browser.newContext();
  const globex = await globexContext.newPage();
  recordPageErrors(globex, pageErrors);
  const gil = newPerson('gil');
  await signUp(globex, gil);
  const globexOrg = orgPath(globex);
  await globex.goto(`${globexOrg}/members`);
  await hydrated(globex);
  await inviteUsers(globex, [{ email: pia.email }], { partners: true });

  const piaContext = await browser.newContext();
  const other = await piaContext.newPage();
  recordPageErrors(other, pageErrors);
  await signUp(other, pia);
  await hydrated(other);

  // The user menu leads to My organizations: both invitations wait there.
  await other.getByRole('button', { name: `${pia.name} account menu` }).click();
  await other.getByRole('link', { name: 'My organizations' }).click();
  await expect(other.getByRole('heading', { level: 1, name: 'My organizations' })).toBeVisible();
  await hydrated(other);
  const waiting = other.getByRole('region', { name: 'Invitations for you' });
  const toAcme = waiting.getByRole('listitem', { name: `Invitation to ${acme.organization}` });
  const toGlobex = waiting.getByRole('listitem', { name: `Invitation to ${gil.organization}` });
  await expect(toAcme).toContainText(`${acme.name} invited you as a partner, role Admin.`);
  await expect(toGlobex).toContainText(`${gil.name} invited you as a partner, role User.`);
  const mine = other.getByRole('region', { name: 'Your organizations' });
  await expect(mine.getByRole('link', { name: pia.organization })).toBeVisible();
  await expect(mine).toContainText('Team member · Owner');

  // Declining asks first, then says so; the invitation is gone from the list.
  await toGlobex.getByRole('button', { name: `Decline the invitation to ${gil.organization}` }).click();
  await expect(other.getByText(`Decline the invitation to ${gil.organization}? They will be told`)).toBeVisible();
  await confirm(other, 'Decline');
  await expect(other.getByRole('status').filter({ hasText: `You declined the invitation to ${gil.organization}.` })).toBeVisible();
  await expect(toGlobex).toHaveCount(0);

  // Accepting goes straight into the organization, as a partner and admin.
  await toAcme.getByRole('button', { name: 'Accept' }).click();
  await expect(other).toHaveURL(new RegExp(`${acmeOrg}$`));
  await expect(other.getByRole('heading', { level: 1, name: acme.organization })).toBeVisible();
  await expect(other.getByText('You are Admin here (partner)')).toBeVisible();

  // My organizations now lists Acme with her role and kind, and nothing waiting.
  await other.goto('/organizations');
  await hydrated(other);
  await expect(mine.getByRole('link', { name: acme.organization })).toBeVisible();
  await expect(mine.getByRole('listitem').filter({ hasText: acme.organization })).toContainText('Partner · Admin');
  await expect(waiting).toHaveCount(0);

  // Gil is told by email; his Invitations tab no longer lists her, and he can invite her again.
  await openMail(globex, gil.email, `${pia.email} declined your invitation to ${gil.organization}`);
  await globex.goto(globexOrg);
  await hydrated(globex);
  await openInvitationsTab(globex);
  await expect(globex.getByText(pia.email)).toHaveCount(0);
  await globex.goto(`${globexOrg}/members`);
  await hydrated(globex);
  await inviteUsers(globex, [{ email: pia.email }], { partners: true });
  await other.goto('/organizations');
  await expect(waiting.getByRole('listitem', { name: `Invitation to ${gil.organization}` })).toBeVisible();

  // Logging in again lands in the organization she used last: Acme.
  await other.goto(acmeOrg);
  await hydrated(other);
  await logOut(other, pia.name);
  await logIn(other, pia.email, pia.password);
  await expect(other).toHaveURL(new RegExp(`${acmeOrg}$`));
  await expect(other.getByRole('heading', { level: 1, name: acme.organization })).toBeVisible();

  // She leaves Acme from My organizations, after a confirmation; Acme's owner is told.
  await other.goto('/organizations');
  await hydrated(other);
  await mine.getByRole('button', { name: `Leave ${acme.organization}` }).click();
  await confirm(other, 'Leave');
  await expect(other.getByRole('status').filter({ hasText: `You left ${acme.organization}.` })).toBeVisible();
  await expect(mine.getByRole('link', { name: acme.organization })).toHaveCount(0);
  await openMail(page, acme.email, `${pia.name} left ${acme.organization}`);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText(pia.email);

  // Opening Acme now explains itself and leads to her other organizations.
  await other.goto(acmeOrg);
  await expect(other.getByText('There is no organization at this address, or you are not a member of it.').first()).toBeVisible();
  await other.getByRole('link', { name: 'See all your organizations' }).click();
  await expect(other.getByRole('heading', { level: 1, name: 'My organizations' })).toBeVisible();
  await piaContext.close();
  await globexContext.close();
});
