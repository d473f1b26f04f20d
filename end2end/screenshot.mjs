// Takes the README's screenshot: on a running Consort, signs up a demo organization,
// invites three people who accept, gives one of them a module, and captures the
// Members page.
//   node screenshot.mjs http://127.0.0.1:3000 ../docs/screenshot.png
import { chromium } from '@playwright/test';

const [base = 'http://127.0.0.1:3000', out = '../docs/screenshot.png'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const password = 'plum-river-47-lantern';
const suffix = Date.now().toString(36);
const hydrated = (page) => page.locator('#hydrated[data-ready="true"]').waitFor({ state: 'attached' });
const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
await page.goto(`${base}/signup`);
await hydrated(page);
await page.getByLabel('Your name').fill('Ana Lopez');
await page.getByLabel('Work email').fill(`ana.${suffix}@example.com`);
await page.getByLabel('Password').fill(password);
await page.getByLabel('Organization name').fill('Northwind Traders');
await page.getByRole('button', { name: 'Create organization' }).click();
await page.getByRole('heading', { name: 'Check your email' }).waitFor();
// The sign-up link arrives in the development mailbox (the server runs with --dev-mailbox).
for (let attempt = 0; ; attempt++) {
  await page.goto(`${base}/dev/mailbox`);
  const row = page.getByRole('row').filter({ hasText: `ana.${suffix}` }).filter({ hasText: 'Confirm your email' });
  if (await row.count()) { await row.first().getByRole('link').click(); break; }
  if (attempt > 50) throw new Error('no sign-up mail');
  await page.waitForTimeout(200);
}
await page.getByRole('article', { name: 'Message' }).getByRole('link', { name: /signup\/confirm\?token=/ }).click();
await hydrated(page);
await page.getByRole('button', { name: 'Create my organization' }).click();
await page.getByRole('heading', { level: 1, name: 'Northwind Traders' }).waitFor();
const org = page.url();

const people = [['Ben Okafor', 'ben'], ['Cara Jensen', 'cara'], ['Dev Patel', 'dev']];
await page.goto(`${org}/members`);
await hydrated(page);
await page.getByRole('button', { name: 'Invite users' }).click();
const dialog = page.getByRole('dialog', { name: 'Invite users' });
await dialog.getByLabel('Email addresses').fill(people.map(([, who]) => `${who}.${suffix}@example.com`).join(', ') + ',');
await dialog.getByRole('button', { name: 'Check addresses' }).click();
await dialog.getByRole('button', { name: 'Send 3 invitations' }).click();
await dialog.getByText('3 invitations sent.').waitFor();
for (const [name, who] of people) {
  await page.goto(`${base}/dev/mailbox`);
  await page.getByRole('row').filter({ hasText: `${who}.${suffix}` }).first().getByRole('link').click();
  const link = await page.getByRole('article', { name: 'Message' }).getByRole('link', { name: /accept\?token=/ }).getAttribute('href');
  const context = await browser.newContext();
  const invitee = await context.newPage();
  await invitee.goto(link);
  await hydrated(invitee);
  const form = invitee.getByRole('form', { name: 'Create your account' });
  await form.getByLabel('Your name').fill(name);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Create account and join' }).click();
  await invitee.waitForURL(/\/o\/[^/]+$/);
  await context.close();
}
await page.goto(`${org}/members`);
await hydrated(page);
await page.getByRole('table', { name: 'Active users' }).getByRole('link', { name: 'Cara Jensen' }).click();
await hydrated(page);
const access = page.getByRole('form', { name: 'Role and permissions' });
await access.getByRole('checkbox', { name: 'Contacts' }).check();
await access.getByRole('button', { name: 'Save changes' }).click();
await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
await page.goto(`${org}/members`);
await hydrated(page);
await page.getByRole('table', { name: 'Active users' }).waitFor();
await page.screenshot({ path: out, fullPage: false });
await browser.close();
console.log(`saved ${out}`);
