import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { hydrated, newPerson, openMail, openMember, orgPath, recordPageErrors, signUp } from './helpers';

/** Settings → Partners: the owner creates the partner request code; returns it as shown. */
async function createRequestCode(page: Page, org: string): Promise<string> {
  await page.goto(`${org}/settings`);
  await hydrated(page);
  await expect(page.getByText('No code yet: nobody can ask for access.')).toBeVisible();
  await page.getByRole('button', { name: 'Create a code' }).click();
  const shown = page.getByText(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
  await expect(shown).toBeVisible();
  return (await shown.textContent())!.trim();
}

test('a person requests access with the code and an admin narrows the modules and approves', async ({ page, browser, pageErrors }) => {
  // Two people, each in a browser context of their own.
  test.slow();
  const owner = newPerson('olga');
  await signUp(page, owner);
  const org = orgPath(page);
  const slug = org.replace('/o/', '');

  // Settings → Partners: no code yet; the owner creates one.
  const code = await createRequestCode(page, org);

  // Reza, who runs his own firm, asks from My organizations.
  const reza = newPerson('reza');
  const rezaContext = await browser.newContext();
  const rezaPage = await rezaContext.newPage();
  recordPageErrors(rezaPage, pageErrors);
  await signUp(rezaPage, reza);
  await rezaPage.getByRole('button', { name: `${reza.name} account menu` }).click();
  await rezaPage.getByRole('link', { name: 'My organizations' }).click();
  await expect(rezaPage.getByRole('heading', { level: 1, name: 'My organizations' })).toBeVisible();
  await hydrated(rezaPage);
  await rezaPage.getByRole('button', { name: 'Request access' }).click();
  const form = rezaPage.getByRole('form', { name: 'Request access' });
  await form.getByLabel('Organization\'s address or name').fill(slug);
  // A wrong code first: the same answer as an organization that does not exist.
  const wrong = code.startsWith('A') ? `B${code.slice(1)}` : `A${code.slice(1)}`;
  await form.getByLabel('Partner request code').fill(wrong);
  await form.getByRole('button', { name: 'Send request' }).click();
  await expect(form.getByRole('alert')).toContainText('No organization matches this name and code.');
  await form.getByLabel('Partner request code').fill(code.toLowerCase());
  await form.getByLabel('Role you ask for').selectOption({ label: 'User' });
  await form.getByRole('checkbox', { name: 'Contacts' }).check();
  await form.getByLabel('Message to the admins (optional)').fill('I keep your books. <b>Thanks</b>');
  await form.getByRole('button', { name: 'Send request' }).click();
  await expect(rezaPage.getByRole('status').filter({ hasText: `Request sent to ${owner.organization}.` })).toBeVisible();
  await expect(rezaPage.getByRole('region', { name: 'Your requests' })).toContainText(owner.organization);

  // The owner is told by email and finds the request under Members → Access requests.
  await openMail(page, owner.email, `${reza.name} asks for partner access to ${owner.organization}`);
  await expect(page.getByRole('article', { name: 'Message' })).toContainText('I keep your books. <b>Thanks</b>');
  await page.goto(`${org}/members`);
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Members' }).getByRole('link', { name: 'Access requests' }).click();
  const request = page.getByRole('listitem', { name: `Request from ${reza.name}` });
  await expect(request).toContainText('I keep your books. <b>Thanks</b>');
  await expect(request).toContainText('Asked for User with Contacts');
  // Narrow it: no Contacts module; then approve.
  const contacts = request.getByRole('checkbox', { name: 'Contacts' });
  await expect(contacts).toBeChecked();
  await contacts.uncheck();
  await request.getByRole('button', { name: `Approve ${reza.name}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `${reza.name} is now a partner here.` })).toBeVisible();
  await expect(page.getByText('No requests are waiting.')).toBeVisible();

  // Reza is told, and the organization is his to open, as a partner without Contacts.
  await openMail(rezaPage, reza.email, `You are now a partner of ${owner.organization}`);
  await rezaPage.goto('/organizations');
  const item = rezaPage.getByRole('listitem').filter({ has: rezaPage.getByRole('link', { name: owner.organization }) });
  await expect(item).toContainText('Partner · User');
  await openMember(page, org, reza);
  await expect(page.getByRole('checkbox', { name: 'Contacts' })).not.toBeChecked();
  await rezaContext.close();
});

test('an admin declines a request and the person is told', async ({ page, browser, pageErrors }) => {
  test.slow();
  const owner = newPerson('dora');
  await signUp(page, owner);
  const org = orgPath(page);
  const code = await createRequestCode(page, org);

  const sam = newPerson('sam');
  const samContext = await browser.newContext();
  const samPage = await samContext.newPage();
  recordPageErrors(samPage, pageErrors);
  await signUp(samPage, sam);
  await samPage.goto('/organizations');
  await hydrated(samPage);
  await samPage.getByRole('button', { name: 'Request access' }).click();
  const form = samPage.getByRole('form', { name: 'Request access' });
  // By the organization's name this time.
  await form.getByLabel('Organization\'s address or name').fill(owner.organization);
  await form.getByLabel('Partner request code').fill(code);
  await form.getByRole('button', { name: 'Send request' }).click();
  await expect(samPage.getByRole('status').filter({ hasText: `Request sent to ${owner.organization}.` })).toBeVisible();

  await page.goto(`${org}/members/requests`);
  await hydrated(page);
  const request = page.getByRole('listitem', { name: `Request from ${sam.name}` });
  await request.getByRole('button', { name: `Decline the request from ${sam.name}` }).click();
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: 'Decline', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `You declined the request from ${sam.name}.` })).toBeVisible();
  await expect(page.getByText('No requests are waiting.')).toBeVisible();
  await openMail(samPage, sam.email, `Your request for access to ${owner.organization} was declined`);
  await samContext.close();
});
