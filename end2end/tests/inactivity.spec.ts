import { expect, test } from './fixtures';
import { hydrated, join, makePartnerInactive, newPerson, openMail, orgPath, signUp } from './helpers';

test('an admin ends partners’ access after days without activity: an inactive partner loses access and both sides are told', async ({ page, browser, pageErrors }) => {
  const owner = newPerson('ines');
  await signUp(page, owner);
  const org = orgPath(page);
  const pam = newPerson('pam');
  const pamPage = await join(page, browser, org, pam, 'User', pageErrors, { partners: true });

  // Settings → Partners: off by default; 30 days chosen and saved.
  await page.goto(`${org}/settings`);
  await hydrated(page);
  const form = page.getByRole('form', { name: 'Partner inactivity' });
  const choice = form.getByLabel('End a partner\'s access');
  await expect(choice).toHaveValue('');
  await choice.selectOption({ label: 'After 30 days without activity' });
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('form', { name: 'Partner inactivity' }).getByLabel('End a partner\'s access')).toHaveValue('30');

  // Pam has not been active for longer than that (and the policy is as old): the job ends her access.
  makePartnerInactive(pam.email);
  await openMail(page, owner.email, 'partner access ended after 30 days without activity (1)');
  await expect(page.getByRole('article', { name: 'Message' })).toContainText(`${pam.name} <${pam.email}>, last active`);
  await openMail(page, pam.email, `Your access to ${owner.organization} ended after 30 days without activity`);

  // Her open tab: the next click explains it.
  await hydrated(pamPage);
  await pamPage.getByRole('button', { name: `${pam.name} account menu` }).click();
  await pamPage.getByRole('link', { name: 'Account settings' }).click();
  await expect(pamPage.getByRole('alert').first()).toContainText('deactivated');

  // Members → Deactivated users lists her; the audit log says why.
  await page.goto(`${org}/members/deactivated`);
  await expect(page.getByRole('table', { name: 'Deactivated users' })).toContainText(pam.email);
  await page.goto(`${org}/audit-log`);
  await expect(page.getByRole('table', { name: 'Audit events' })).toContainText('A partner\'s access ended after inactivity');
  await pamPage.context().close();
});
