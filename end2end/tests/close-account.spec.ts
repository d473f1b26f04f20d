import { expect, test } from './fixtures';
import { hydrated, join, logIn, mainNav, newPerson, openMail, orgPath, signUp } from './helpers';

test('closing an account: refused to the last owner, then done with the password; the person is gone', async ({ page, browser, pageErrors }) => {
  const olive = newPerson('olive');
  await signUp(page, olive);
  const org = orgPath(page);

  // The last owner is told why not, with a way to fix it.
  await page.goto(`${org}/account`);
  await hydrated(page);
  const card = page.getByRole('region', { name: 'Close account' });
  await expect(card).toContainText('You are the last owner of');
  await expect(card.getByRole('link', { name: olive.organization })).toBeVisible();
  await expect(card.getByRole('button', { name: 'Close my account' })).toHaveCount(0);

  // A member closes hers: a wrong password is refused next to the field.
  const uma = newPerson('uma');
  const other = await join(page, browser, org, uma, 'User', pageErrors);
  await other.goto(`${org}/account`);
  await hydrated(other);
  const close = other.getByRole('region', { name: 'Close account' });
  await close.getByLabel('Password').fill('not-my-password');
  await close.getByRole('button', { name: 'Close my account' }).click();
  await expect(close.getByText('Your password is not correct.')).toBeVisible();
  await close.getByLabel('Password').fill(uma.password);
  await close.getByRole('button', { name: 'Close my account' }).click();
  await expect(other).toHaveURL(/\/login\?closed=1/);
  await expect(other.getByText('Your account has been closed.')).toBeVisible();

  // She cannot log in any more; a confirmation went to her address.
  await logIn(other, uma.email, uma.password);
  await expect(other.getByText('The email or password is incorrect.').first()).toBeVisible();
  await openMail(other, uma.email, 'Your Consort account is closed');
  await other.context().close();

  // The organization's log keeps the event, by an anonymous account; Members no longer lists her.
  await page.goto(`${org}/members`);
  await hydrated(page);
  await expect(page.getByRole('table', { name: 'Active users' }).getByRole('row').filter({ hasText: uma.email })).toHaveCount(0);
  await mainNav(page).getByRole('link', { name: 'Audit log' }).click();
  await hydrated(page);
  const events = page.getByRole('table', { name: 'Audit events' });
  await expect(events.getByRole('row').filter({ hasText: 'Closed their account' })).toContainText('Closed account');
  await expect(events).not.toContainText(uma.email);
});
