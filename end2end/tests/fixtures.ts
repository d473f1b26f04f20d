import { test as base, expect } from '@playwright/test';
import { recordPageErrors } from './helpers';

/**
 * Playwright's `test`, where every page must run without a client-side error: a
 * panic while hydrating leaves a page that looks right but whose buttons do
 * nothing. `pageErrors` collects the errors of the test's page; a page of another
 * browser context joins with `recordPageErrors(other, pageErrors)`.
 */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      recordPageErrors(page, errors);
      await use(errors);
      expect(errors, 'errors thrown in the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
