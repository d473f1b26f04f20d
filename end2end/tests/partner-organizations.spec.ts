import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import type { Browser, Page } from '@playwright/test';
import { confirm, hydrated, join, mainNav, newPerson, openMail, orgPath, recordPageErrors, signUp } from './helpers';

/** Opens Partners from the organization's navigation, as a person would. */
async function openPartners(page: Page, org: string): Promise<void> {
  await page.goto(org);
  await hydrated(page);
  await mainNav(page).getByRole('link', { name: /^Partners/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Partners' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Received requests' })).toBeVisible();
  await hydrated(page);
}

async function sendRequest(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email of someone in the other organization').fill(email);
  await page.getByRole('button', { name: 'Send request' }).click();
}

/** A row of one of the Partners lists. */
function row(page: Page, list: string, title: string) {
  return page.getByRole('region', { name: list }).getByRole('listitem', { name: title });
}

/** Ana signs up on `page`; Bo signs up in a browser context of his own. */
async function twoOrganizations(page: Page, browser: Browser, pageErrors: string[]) {
  const ana = newPerson('ana');
  await signUp(page, ana);
  const anaOrg = orgPath(page);
  const boContext = await browser.newContext();
  const bo = newPerson('bo');
  const boPage = await boContext.newPage();
  recordPageErrors(boPage, pageErrors);
  await signUp(boPage, bo);
  return { ana, anaOrg, bo, boContext, boPage, boOrg: orgPath(boPage) };
}

/** Opens Contacts from the organization's navigation. */
async function openContacts(page: Page, org: string): Promise<void> {
  await page.goto(org);
  await hydrated(page);
  await mainNav(page).getByRole('link', { name: 'Contacts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts' })).toBeVisible();
  await hydrated(page);
}

/** The Contacts tile of the person with address `email`. */
function contact(page: Page, email: string) {
  return page.getByRole('list', { name: 'Contacts' }).getByRole('listitem').filter({ hasText: email });
}

/** Makes `move` from a row's actions menu, then confirms it. */
async function fromMenu(page: Page, list: string, title: string, move: string, says: string | RegExp): Promise<void> {
  const item = row(page, list, title);
  await item.getByRole('button', { name: `Actions for ${title}` }).click();
  await item.getByRole('button', { name: `${move} ${title}` }).click();
  await expect(item.getByRole('group', { name: 'Confirm' })).toContainText(says);
  await confirm(page, move);
}

test('two organizations reject, block, delete on both sides, then partner and part', async ({ page, browser, pageErrors }) => {
  test.slow();
  const { ana, anaOrg, bo, boContext, boPage, boOrg } = await twoOrganizations(page, browser, pageErrors);

  // Ana asks Bo's organization; her list shows the address she typed, not its name.
  await openPartners(page, anaOrg);
  await expect(page.getByText('No partner organizations yet.')).toBeVisible();
  await sendRequest(page, 'not-an-address');
  await expect(page.getByText('An email address needs an @ between the name and the domain')).toBeVisible();
  await sendRequest(page, ana.email);
  await expect(page.getByRole('alert').filter({ hasText: 'belongs to your own organization' })).toBeVisible();
  await sendRequest(page, bo.email);
  await expect(page.getByRole('status').filter({ hasText: 'Request sent.' })).toBeVisible();
  const sent = row(page, 'Sent requests', bo.email);
  await expect(sent).toContainText('Sent – awaiting approval');
  await expect(page.getByRole('region', { name: 'Sent requests' })).not.toContainText(bo.organization);

  // Bo is told by email; the navigation counts the waiting request; he rejects it.
  await openMail(boPage, bo.email, `${ana.organization} asks to partner with ${bo.organization}`);
  await boPage.getByRole('article', { name: 'Message' }).getByRole('link', { name: /\/partners$/ }).click();
  await expect(boPage.getByRole('heading', { level: 1, name: 'Partners' })).toBeVisible();
  await hydrated(boPage);
  await expect(mainNav(boPage).getByRole('link', { name: 'Partners 1 waiting' })).toBeVisible();
  const received = row(boPage, 'Received requests', ana.organization);
  await expect(received).toContainText(`Sent by ${ana.name} (${ana.email})`);
  await received.getByRole('button', { name: `Reject and ignore ${ana.organization}` }).click();
  await expect(received.getByRole('group', { name: 'Confirm' })).toContainText('sees it as Rejected');
  await confirm(boPage, 'Reject and ignore');
  await expect(boPage.getByRole('status').filter({ hasText: `You rejected the request from ${ana.organization}.` })).toBeVisible();
  await expect(row(boPage, 'Rejected', ana.organization)).toContainText('Rejected');
  await expect(mainNav(boPage).getByRole('link', { name: 'Partners', exact: true })).toBeVisible();

  // Ana is told, sees Bo's organization by name now, and is blocked.
  await openMail(page, ana.email, `${bo.organization} rejected the partnership request from ${ana.organization}`);
  await openPartners(page, anaOrg);
  await expect(row(page, 'Rejected', bo.organization)).toContainText(`Rejected by ${bo.name}`);
  await sendRequest(page, bo.email);
  await expect(page.getByText('rejected a partnership with yours')).toBeVisible();
  // Deleting it on her side alone does not lift the block.
  await fromMenu(page, 'Rejected', bo.organization, 'Delete', 'keeps seeing it until it deletes it too');
  await expect(page.getByRole('status').filter({ hasText: `Deleted: ${bo.organization}` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Rejected' })).toContainText('Nothing rejected.');
  await sendRequest(page, bo.email);
  await expect(page.getByText('rejected a partnership with yours')).toBeVisible();

  // Bo deletes it too: now Ana may ask again, and Bo accepts.
  await boPage.reload();
  await hydrated(boPage);
  await fromMenu(boPage, 'Rejected', ana.organization, 'Delete', 'a new request between you is possible once both have');
  await expect(boPage.getByRole('region', { name: 'Rejected' })).toContainText('Nothing rejected.');
  await sendRequest(page, bo.email);
  await expect(page.getByRole('status').filter({ hasText: 'Request sent.' })).toBeVisible();
  await boPage.reload();
  await hydrated(boPage);
  const again = row(boPage, 'Received requests', ana.organization);
  await again.getByRole('button', { name: `Accept ${ana.organization}` }).click();
  await expect(again.getByRole('group', { name: 'Confirm' })).toContainText('see each other\'s people in Contacts');
  await confirm(boPage, 'Accept');
  await expect(boPage.getByRole('status').filter({ hasText: `${ana.organization} is now a partner organization.` })).toBeVisible();
  await expect(row(boPage, 'Partner organizations', ana.organization)).toContainText('Partner since');

  await openMail(page, ana.email, `${bo.organization} accepted the partnership with ${ana.organization}`);
  await openPartners(page, anaOrg);
  await expect(row(page, 'Partner organizations', bo.organization)).toContainText(`Accepted by ${bo.name}`);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`), 'accessibility violations on Partners').toEqual([]);

  // The timeline tells Ana's side what happened, and exports it.
  await page.getByRole('navigation', { name: 'Partners' }).getByRole('link', { name: 'Timeline' }).click();
  const timeline = page.getByRole('table', { name: 'Partnership timeline' });
  await expect(timeline).toContainText(`${bo.organization} (${bo.name}) rejected and ignored`);
  await expect(timeline).toContainText(`${bo.organization} (${bo.name}) accepted`);
  await hydrated(page);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(file.suggestedFilename()).toBe('partnership-timeline.csv');

  // Bo ends the partnership from the receiving side: Ana sees it as Rejected.
  await fromMenu(boPage, 'Partner organizations', ana.organization, 'Delete', 'sees it as Rejected');
  await expect(boPage.getByRole('region', { name: 'Partner organizations' })).toContainText('No partner organizations yet.');
  await openMail(page, ana.email, `${bo.organization} deleted the relationship with ${ana.organization}`);
  await openPartners(page, anaOrg);
  await expect(row(page, 'Rejected', bo.organization)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Partner organizations' })).toContainText('No partner organizations yet.');
  await boContext.close();
});

test('an address with no organization is invited to create one, where the request waits', async ({ page, browser, pageErrors }) => {
  test.slow();
  const ana = newPerson('ana');
  await signUp(page, ana);
  const anaOrg = orgPath(page);
  const cleo = newPerson('cleo');

  await openPartners(page, anaOrg);
  await sendRequest(page, cleo.email);
  await expect(page.getByRole('status').filter({ hasText: 'Request sent.' })).toBeVisible();
  await expect(row(page, 'Sent requests', cleo.email)).toContainText('Sent – awaiting approval');

  // Cleo gets an invitation to create her organization and signs up with that address.
  const cleoContext = await browser.newContext();
  const cleoPage = await cleoContext.newPage();
  recordPageErrors(cleoPage, pageErrors);
  await openMail(cleoPage, cleo.email, `${ana.organization} would like to partner with your organization on Consort`);
  await expect(cleoPage.getByRole('article', { name: 'Message' })).toContainText('Create your organization with this email address');
  await expect(cleoPage.getByRole('article', { name: 'Message' }).getByRole('link', { name: /\/signup$/ })).toBeVisible();
  await signUp(cleoPage, cleo);
  const cleoOrg = orgPath(cleoPage);
  await openPartners(cleoPage, cleoOrg);
  await expect(row(cleoPage, 'Received requests', ana.organization)).toContainText(ana.name);

  // Until Cleo answers, Ana sees the address only.
  await page.reload();
  await hydrated(page);
  await expect(row(page, 'Sent requests', cleo.email)).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText(cleo.organization);
  await cleoContext.close();
});

test('partner organizations see each other\'s people in Contacts until the partnership ends', async ({ page, browser, pageErrors }) => {
  test.slow();
  const { ana, anaOrg, bo, boContext, boPage, boOrg } = await twoOrganizations(page, browser, pageErrors);

  // Before any partnership, Ana's Contacts hold her organization alone.
  await openContacts(page, anaOrg);
  await expect(contact(page, ana.email)).toContainText('Team member · Owner');
  await expect(page.getByRole('combobox', { name: 'Organization', exact: true })).toHaveCount(0);

  await openPartners(page, anaOrg);
  await sendRequest(page, bo.email);
  await expect(page.getByRole('status').filter({ hasText: 'Request sent.' })).toBeVisible();
  await openPartners(boPage, boOrg);
  await row(boPage, 'Received requests', ana.organization).getByRole('button', { name: `Accept ${ana.organization}` }).click();
  await confirm(boPage, 'Accept');
  await expect(boPage.getByRole('status').filter({ hasText: `${ana.organization} is now a partner organization.` })).toBeVisible();

  // Partners see each other's people in Contacts, as members of the partner.
  await openContacts(page, anaOrg);
  await expect(contact(page, bo.email)).toContainText(`Member · ${bo.organization}`);
  await expect(contact(page, ana.email)).toContainText('Team member · Owner');
  await openContacts(boPage, boOrg);
  await expect(contact(boPage, ana.email)).toContainText(`Member · ${ana.organization}`);
  // A new person joins Bo's organization and appears in Ana's Contacts.
  const cleo = newPerson('cleo');
  const cleoPage = await join(boPage, browser, boOrg, cleo, 'User', pageErrors);
  await cleoPage.context().close();
  await page.getByLabel('Search contacts').fill(cleo.name);
  await expect(contact(page, cleo.email)).toContainText(`Member · ${bo.organization}`);
  await expect(page.getByText('1 contact', { exact: true })).toBeVisible();
  await page.getByLabel('Search contacts').fill('');
  await page.getByRole('combobox', { name: 'Organization', exact: true }).selectOption({ label: `${bo.organization} (partner)` });
  await expect(contact(page, cleo.email)).toBeVisible();
  await expect(page.getByText('2 contacts', { exact: true })).toBeVisible();
  await expect(contact(page, ana.email)).toHaveCount(0);
  const onContacts = await new AxeBuilder({ page }).analyze();
  expect(onContacts.violations.map((v) => `${v.id}: ${v.help}`), 'accessibility violations on Contacts').toEqual([]);

  // Bo ends the partnership from the receiving side: his people leave Ana's Contacts at once.
  await openPartners(boPage, boOrg);
  await fromMenu(boPage, 'Partner organizations', ana.organization, 'Delete', 'sees it as Rejected');
  await expect(boPage.getByRole('region', { name: 'Partner organizations' })).toContainText('No partner organizations yet.');
  await openContacts(page, anaOrg);
  await expect(contact(page, ana.email)).toBeVisible();
  await expect(contact(page, bo.email)).toHaveCount(0);
  await expect(contact(page, cleo.email)).toHaveCount(0);
  await expect(page.getByRole('combobox', { name: 'Organization', exact: true })).toHaveCount(0);
  await boContext.close();
});

test('a partner with no organization of her own creates one from My organizations and finds the request there', async ({ page, browser, pageErrors }) => {
  test.slow();
  const { ana, anaOrg, bo, boContext, boPage, boOrg } = await twoOrganizations(page, browser, pageErrors);
  // Pia works in Bo's organization as a partner: her address addresses no organization.
  const pia = newPerson('pia');
  const joined = await join(boPage, browser, boOrg, pia, 'User', pageErrors, { partners: true });
  await joined.context().close();

  await openPartners(page, anaOrg);
  await sendRequest(page, pia.email);
  await expect(page.getByRole('status').filter({ hasText: 'Request sent.' })).toBeVisible();
  await expect(row(page, 'Sent requests', pia.email)).toContainText('Sent – awaiting approval');

  // The email tells Pia, who has an account, to log in and create her organization.
  const piaContext = await browser.newContext();
  const piaPage = await piaContext.newPage();
  recordPageErrors(piaPage, pageErrors);
  await openMail(piaPage, pia.email, `${ana.organization} would like to partner with your organization on Consort`);
  const message = piaPage.getByRole('article', { name: 'Message' });
  await expect(message).toContainText('choose Create an organization on My organizations');
  await message.getByRole('link', { name: /\/login\?next=\/organizations$/ }).click();
  await hydrated(piaPage);
  await piaPage.getByLabel('Email').fill(pia.email);
  await piaPage.getByLabel('Password').fill(pia.password);
  await piaPage.getByRole('button', { name: 'Log in' }).click();
  await expect(piaPage.getByRole('heading', { level: 1, name: 'My organizations' })).toBeVisible();
  await expect(piaPage.getByRole('region', { name: 'Your organizations' })).toContainText(`${bo.organization}`);
  await hydrated(piaPage);

  // She creates it: an empty name is refused next to the field, then it is made.
  await piaPage.getByRole('button', { name: 'Create an organization' }).click();
  const form = piaPage.getByRole('form', { name: 'Create an organization' });
  await form.getByRole('button', { name: 'Create organization' }).click();
  await expect(form.getByText("Enter the organization's name.")).toBeVisible();
  await form.getByLabel('Organization name').fill(pia.organization);
  await form.getByRole('button', { name: 'Create organization' }).click();
  await expect(piaPage.getByRole('heading', { level: 1, name: pia.organization })).toBeVisible();
  await expect(piaPage).toHaveURL(/\/o\/pia-org-[a-z0-9-]+$/);
  await hydrated(piaPage);

  // Ana's request waits under Partners, counted in the navigation.
  await expect(mainNav(piaPage).getByRole('link', { name: 'Partners 1 waiting' })).toBeVisible();
  await mainNav(piaPage).getByRole('link', { name: /^Partners/ }).click();
  await expect(piaPage.getByRole('heading', { level: 1, name: 'Partners' })).toBeVisible();
  await expect(row(piaPage, 'Received requests', ana.organization)).toContainText(`Sent by ${ana.name} (${ana.email})`);
  await openMail(piaPage, pia.email, `${pia.organization} is ready on Consort`);
  await expect(piaPage.getByRole('article', { name: 'Message' })).toContainText('You created');

  // Until she answers, Ana sees the address only.
  await openPartners(page, anaOrg);
  await expect(row(page, 'Sent requests', pia.email)).toBeVisible();
  await expect(page.getByRole('main')).not.toContainText(pia.organization);

  // A team member cannot create a second organization: Bo is not offered it.
  await boPage.goto('/organizations');
  await expect(boPage.getByRole('heading', { level: 1, name: 'My organizations' })).toBeVisible();
  await expect(boPage.getByRole('button', { name: 'Request access' })).toBeVisible();
  await expect(boPage.getByRole('button', { name: 'Create an organization' })).toHaveCount(0);
  await piaContext.close();
  await boContext.close();
});
