// Takes the README's screenshot: signs up a demo organization on a running Consort
// (CONSORT_E2E_URL) and captures the account settings page.
//   node screenshot.mjs http://127.0.0.1:3000 ../docs/screenshot.png
import { chromium } from '@playwright/test';

const [base = 'http://127.0.0.1:3000', out = '../docs/screenshot.png'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
const suffix = Date.now().toString(36);
await page.goto(`${base}/signup`);
await page.locator('#hydrated[data-ready="true"]').waitFor({ state: 'attached' });
await page.getByLabel('Your name').fill('Ana Lopez');
await page.getByLabel('Work email').fill(`ana.${suffix}@example.com`);
await page.getByLabel('Password').fill('plum-river-47-lantern');
await page.getByLabel('Organization name').fill('Northwind Traders');
await page.getByRole('button', { name: 'Create organization' }).click();
await page.getByRole('heading', { level: 1, name: 'Northwind Traders' }).waitFor();
await page.goto(page.url() + '/account');
await page.getByRole('heading', { level: 1, name: 'Account settings' }).waitFor();
await page.getByRole('region', { name: 'Recent activity' }).getByRole('listitem').first().waitFor();
await page.screenshot({ path: out, fullPage: false });
await browser.close();
console.log(`saved ${out}`);
