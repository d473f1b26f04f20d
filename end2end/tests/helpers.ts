import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'plum-river-47-lantern';

let counter = 0;
/** An address no other test uses. */
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Waits until the page has hydrated, so forms run through the app and not a full page post. */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('#hydrated')).toHaveAttribute('data-ready', 'true');
}

export interface Person {
  name: string;
  email: string;
  organization: string;
  password: string;
}

export function newPerson(prefix: string): Person {
  const email = uniqueEmail(prefix);
  return { name: `${prefix[0].toUpperCase()}${prefix.slice(1)} Tester`, email, organization: `${prefix} Org ${email.slice(prefix.length + 1, prefix.length + 8)}`, password: PASSWORD };
}

/** Signs up through the form and waits for the organization page. */
export async function signUp(page: Page, person: Person): Promise<void> {
  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Work email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByLabel('Organization name').fill(person.organization);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await expect(page.getByRole('heading', { level: 1, name: person.organization })).toBeVisible();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+$/);
}

export async function logIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

export async function logOut(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `${name} account menu` }).click();
  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('You have logged out.')).toBeVisible();
}

/** Opens the newest mail to `to` whose subject contains `subject` in the development mailbox. */
export async function openMail(page: Page, to: string, subject: string | RegExp): Promise<void> {
  await expect(async () => {
    await page.goto('/dev/mailbox');
    const row = page.getByRole('row').filter({ hasText: to }).filter({ hasText: subject }).first();
    await expect(row).toBeVisible({ timeout: 1000 });
    await row.getByRole('link').click();
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
}
