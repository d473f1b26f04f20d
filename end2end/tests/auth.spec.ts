import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { PASSWORD, hydrated, logIn, logOut, newPerson, openMail, signUp, submitSignUp } from './helpers';

test('sign up, see the organization, log out, fail and succeed to log in', async ({ page }) => {
  const ana = newPerson('ana');
  await signUp(page, ana);
  await expect(page.getByText('You are Owner here')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Organization at a glance' })).toContainText('1 team member, 0 partners');
  await expect(page.getByRole('button', { name: `${ana.organization} — switch organization` })).toBeVisible();

  await logOut(page, ana.name);

  await logIn(page, ana.email, 'not-my-password');
  const password = page.getByLabel('Password');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toHaveText('The email or password is incorrect.');
  await expect(page).toHaveURL(/\/login/);

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: ana.organization })).toBeVisible();

  // The welcome mail arrived in the development mailbox.
  await openMail(page, ana.email, 'Welcome to Consort');
  await expect(page.getByRole('article', { name: 'Message' })).toContainText(`Your organization ${ana.organization} is ready`);
});

test('sign-up explains every bad field next to it', async ({ page }) => {
  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Work email').fill('ana.example.com');
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByText('Enter your name.')).toBeVisible();
  await expect(page.getByText('An email address needs an @')).toBeVisible();
  await expect(page.getByText('one of the most common ones')).toBeVisible();
  await expect(page.getByText("Enter the organization's name.")).toBeVisible();
  await expect(page.getByLabel('Work email')).toHaveAttribute('aria-invalid', 'true');

  // An address that already has an account gets the same answer, and its owner
  // an email about the attempt: the form does not tell who has an account.
  const taken = newPerson('taken');
  await signUp(page, taken);
  await logOut(page, taken.name);
  await submitSignUp(page, { ...newPerson('someone'), email: taken.email.toUpperCase() });
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await openMail(page, taken.email, 'Someone tried to sign up with your email');
  await expect(page.getByRole('article', { name: 'Message' })).toContainText('already has an account');
});

test('a sign-up link is shown before it creates anything, and works once', async ({ page }) => {
  const cleo = newPerson('cleo');
  await submitSignUp(page, cleo);
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await openMail(page, cleo.email, 'Confirm your email to finish signing up');
  const link = page.getByRole('article', { name: 'Message' }).getByRole('link', { name: /\/signup\/confirm\?token=/ });
  const href = (await link.getAttribute('href')) ?? '';
  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Finish signing up' })).toBeVisible();
  await expect(page.getByText(cleo.organization)).toBeVisible();
  await hydrated(page);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id), 'accessibility of the confirmation page').toEqual([]);
  await page.getByRole('button', { name: 'Create my organization' }).click();
  await expect(page.getByRole('heading', { level: 1, name: cleo.organization })).toBeVisible();
  await logOut(page, cleo.name);
  await page.goto(href);
  await expect(page.getByRole('alert')).toContainText('already been used');
  await page.goto('/signup/confirm?token=forged');
  await expect(page.getByRole('alert')).toContainText('not valid');
});

test('forgot password: the emailed link sets a new password once', async ({ page }) => {
  const bea = newPerson('bea');
  await signUp(page, bea);
  await logOut(page, bea.name);

  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await hydrated(page);
  await page.getByLabel('Email').fill(bea.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByText('a reset link is on its way')).toBeVisible();
  await expect(page.getByRole('form', { name: 'Request a reset link' })).toBeHidden();

  await openMail(page, bea.email, 'Reset your Consort password');
  await expect(page.getByRole('article', { name: 'Message' })).toContainText('expires on');
  const link = page.getByRole('link', { name: /reset-password\?token=/ });
  const href = await link.getAttribute('href');
  await link.click();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id), 'accessibility of the new-password form').toEqual([]);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
  const newPassword = 'violet-harbor-58-compass';
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(/\/login\?reset=1/);
  await expect(page.getByText('Your password has been changed.')).toBeVisible();

  await logIn(page, bea.email, PASSWORD);
  await expect(page.getByText('The email or password is incorrect.')).toBeVisible();
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: bea.organization })).toBeVisible();

  // The link is single use.
  await page.goto(href!);
  await expect(page.getByRole('alert')).toContainText('already been used');
});

test('account settings: rename yourself and change your password', async ({ page }) => {
  const cy = newPerson('cy');
  await signUp(page, cy);
  await page.getByRole("button", { name: `${cy.name} account menu` }).click();
  await page.getByRole('link', { name: 'Account settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account settings' })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole('region', { name: 'Organization information' })).toContainText(cy.organization);
  await expect(page.getByRole('region', { name: 'Recent activity' })).toContainText('Created the account');

  await page.getByLabel('Name', { exact: true }).fill('Cy Renamed');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect(page.getByText('Your profile has been saved.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cy Renamed account menu' })).toBeVisible();

  await page.getByLabel('Current password').fill('wrong-current-password');
  await page.getByLabel('New password', { exact: true }).fill('saffron-meadow-12-beacon');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your current password is not correct.')).toBeVisible();
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your password has been changed.')).toBeVisible();

  // Still signed in in this browser after the change.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Account settings' })).toBeVisible();
  await openMail(page, cy.email, 'Your Consort password was changed');
});

test('pages of an organization need a session, and outsiders see nothing', async ({ page, browser }) => {
  const dee = newPerson('dee');
  await signUp(page, dee);
  const orgUrl = page.url();

  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(orgUrl);
  await expect(other).toHaveURL(/\/login\?next=/);

  const eve = newPerson('eve');
  await signUp(other, eve);
  await other.goto(orgUrl);
  await expect(other.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await expect(other.getByText(dee.organization)).toHaveCount(0);
  await stranger.close();
});
