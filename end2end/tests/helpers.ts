import { execFileSync } from 'node:child_process';
import { expect, type Browser, type Page } from '@playwright/test';

/**
 * Records errors thrown in the page (a WASM panic during hydration shows up only
 * here: the server-rendered page looks right but no button works).
 */
export function recordPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  // A page whose scripts the Content-Security-Policy blocks never hydrates either.
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) {
      errors.push(`${page.url()}: ${message.text().slice(0, 160)}`);
    }
  });
}


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

/**
 * Signs up through the form as a person does: the form, the emailed link (read
 * in the development mailbox), the confirmation; waits for the organization page.
 */
export async function signUp(page: Page, person: Person): Promise<void> {
  await submitSignUp(page, person);
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Sign up' })).toBeHidden();
  await openMail(page, person.email, 'Confirm your email to finish signing up');
  await page.getByRole('article', { name: 'Message' }).getByRole('link', { name: /\/signup\/confirm\?token=/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Finish signing up' })).toBeVisible();
  await hydrated(page);
  await page.getByRole('button', { name: 'Create my organization' }).click();
  await expect(page.getByRole('heading', { level: 1, name: person.organization })).toBeVisible();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+$/);
}

/** Fills and sends the sign-up form. */
export async function submitSignUp(page: Page, person: Person): Promise<void> {
  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Work email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByLabel('Organization name').fill(person.organization);
  await page.getByRole('button', { name: 'Create organization' }).click();
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

/** The path of the organization the page is in, e.g. `/o/ana-org-x1`. */
export function orgPath(page: Page): string {
  const match = new URL(page.url()).pathname.match(/^\/o\/[a-z0-9-]+/);
  if (!match) throw new Error(`not on an organization page: ${page.url()}`);
  return match[0];
}

/** Goes to Members → Invitations through the navigation, as a person would. */
export async function openInvitationsTab(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Members' })).toBeVisible();
  const tab = page.getByRole('navigation', { name: 'Members' }).getByRole('link', { name: 'Invitations' });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-current', 'page');
  await hydrated(page);
}

export type RoleLabel = 'Owner' | 'Admin' | 'Billing admin' | 'User';

export interface Invitee {
  email: string;
  /** Left as User when not given. */
  role?: RoleLabel;
}

/**
 * Opens "Invite users" (on a Members page), enters the addresses, sets each role,
 * checks them, sends, and closes the dialog. Every address must be invitable.
 */
export async function inviteUsers(page: Page, invitees: Invitee[], options: { partners?: boolean } = {}): Promise<void> {
  await page.getByRole('button', { name: 'Invite users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite users' });
  await expect(dialog).toBeVisible();
  if (options.partners) {
    await dialog.getByRole('radio', { name: 'Partners' }).check();
  }
  const addresses = dialog.getByLabel('Email addresses');
  await addresses.fill(invitees.map((i) => i.email).join(', '));
  await addresses.press('Enter');
  for (const invitee of invitees) {
    const role = dialog.getByLabel(`Role for ${invitee.email}`);
    await expect(role).toBeVisible();
    if (invitee.role) await role.selectOption({ label: invitee.role });
  }
  await dialog.getByRole('button', { name: 'Check addresses' }).click();
  const n = invitees.length;
  const s = n === 1 ? '' : 's';
  await expect(dialog.getByText(`${n} will be invited, 0 skipped.`)).toBeVisible();
  await dialog.getByRole('button', { name: `Send ${n} invitation${s}` }).click();
  await expect(dialog.getByText(`${n} invitation${s} sent.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
}

/**
 * Opens the newest invitation mail to `to` in the development mailbox and returns
 * its acceptance link. With `previous`, waits for a mail whose link differs from it
 * (after a resend).
 */
export async function invitationLink(page: Page, to: string, previous?: string): Promise<string> {
  let link = '';
  await expect(async () => {
    await openMail(page, to, 'invited you to');
    const anchor = page.getByRole('article', { name: 'Message' }).getByRole('link', { name: /\/invitations\/accept\?token=/ });
    link = (await anchor.getAttribute('href', { timeout: 1000 })) ?? '';
    expect(link).toMatch(/^https?:\/\/[^ ]+\/invitations\/accept\?token=[^&\s]+$/);
    if (previous !== undefined) expect(link).not.toBe(previous);
  }).toPass({ timeout: 20_000 });
  return link;
}

const EXPIRED_AT = '2000-01-01T00:00:00+00:00';

/**
 * Makes the invitations to `email` expired, straight in the database of the server
 * under test (run.sh passes CONSORT_E2E_DATABASE_URL). Returns how many were changed.
 */
export function expireInvitations(email: string): number {
  const changed = updateByEmail(`UPDATE invitations SET expires_at = '${EXPIRED_AT}'`, 'email_key = lower(?)', email);
  if (!(changed > 0)) throw new Error(`no invitation to ${email} was found to expire`);
  return changed;
}

/**
 * Makes the partner access of `email` end in the past, straight in the database
 * of the server under test, as if its last day had gone by; the server's
 * access-end job (every 2 s under run.sh) then deactivates it.
 */
export function endPartnerAccess(email: string): void {
  const changed = updateByEmail(`UPDATE memberships SET access_ends_at = '${EXPIRED_AT}'`, "kind = 'partner' AND email_key = lower(?)", email);
  if (!(changed > 0)) throw new Error(`no partner membership of ${email} was found`);
}

/**
 * Makes the partner `email` look inactive for years in the database of the server
 * under test, and the inactivity policy of their organizations as old; the
 * server's access-end job (every 2 s under run.sh) then ends their access.
 */
export function makePartnerInactive(email: string): void {
  const changed = updateByEmail(
    `UPDATE memberships SET last_active_at = '${EXPIRED_AT}', created_at = '${EXPIRED_AT}'`,
    "kind = 'partner' AND email_key = lower(?)",
    email,
  );
  if (!(changed > 0)) throw new Error(`no partner membership of ${email} was found`);
  updateByEmail(
    `UPDATE organizations SET partner_inactivity_since = '${EXPIRED_AT}'`,
    "partner_inactivity_days IS NOT NULL AND id IN (SELECT organization_id FROM memberships WHERE kind = 'partner' AND email_key = lower(?))",
    email,
  );
}

/**
 * Runs `update` (a statement with no WHERE) on the rows that `where` selects,
 * whose one `lower(?)` is `email`'s key, in the database of the server under test
 * (run.sh passes CONSORT_E2E_DATABASE_URL). Returns how many rows changed.
 */
function updateByEmail(update: string, where: string, email: string): number {
  const url = process.env.CONSORT_E2E_DATABASE_URL;
  if (!url) throw new Error('CONSORT_E2E_DATABASE_URL is not set: run the suite with end2end/run.sh');
  if (url.startsWith('sqlite:')) {
    const file = url.replace(/^sqlite:\/\//, '').replace(/\?.*$/, '');
    const script = [
      'import sqlite3, sys',
      'db = sqlite3.connect(sys.argv[1], timeout=30)',
      `cur = db.execute("${update} WHERE ${where}", (sys.argv[2],))`,
      'db.commit()',
      'print(cur.rowcount)',
    ].join('\n');
    return Number(execFileSync('python3', ['-c', script, file, email], { encoding: 'utf8' }).trim());
  }
  const literal = email.replace(/'/g, "''");
  // Timestamps are written as text; PostgreSQL reads them as timestamptz.
  const sql = `${update.replace(/= '([^']*)'$/, "= '$1'::timestamptz")} WHERE ${where.replace('lower(?)', `lower('${literal}')`)}`;
  // psql prints the command tag, e.g. "UPDATE 1".
  const out = execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql], { encoding: 'utf8' });
  return Number(out.trim().replace(/^UPDATE\s+/, ''));
}

/**
 * The owner (on `page`, in organization `org`) invites `person` with `role` (as a
 * partner with `options.partners`); the person joins with a new account in a
 * browser context of their own, whose page is returned (signed in, on the
 * organization's home page).
 */
export async function join(
  page: Page,
  browser: Browser,
  org: string,
  person: Person,
  role: RoleLabel,
  errors: string[],
  options: { partners?: boolean } = {},
): Promise<Page> {
  await page.goto(`${org}/members`);
  await hydrated(page);
  await inviteUsers(page, [{ email: person.email, role }], options);
  const link = await invitationLink(page, person.email);
  const context = await browser.newContext();
  const other = await context.newPage();
  recordPageErrors(other, errors);
  await other.goto(link);
  await hydrated(other);
  const form = other.getByRole('form', { name: 'Create your account' });
  await form.getByLabel('Your name').fill(person.name);
  await form.getByLabel('Password').fill(PASSWORD);
  await form.getByRole('button', { name: 'Create account and join' }).click();
  await expect(other).toHaveURL(new RegExp(`${org}$`));
  return other;
}

/** Opens a member's detail from Members → Active users. */
export async function openMember(page: Page, org: string, person: Person): Promise<void> {
  await page.goto(`${org}/members`);
  await hydrated(page);
  await page.getByRole('table', { name: 'Active users' }).getByRole('link', { name: person.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: person.name })).toBeVisible();
  await hydrated(page);
}

/** Answers the confirmation that a destructive button opened. */
export async function confirm(page: Page, button: string): Promise<void> {
  await page.getByRole('group', { name: 'Confirm' }).getByRole('button', { name: button, exact: true }).click();
}

/** The organization's main navigation. */
export function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Organization' });
}
