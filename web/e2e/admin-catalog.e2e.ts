import { expect, test } from '@playwright/test';
import { ADMIN, choose, signIn, uniqueWord } from './support';

test('an admin creates a product and adjusts its stock; it appears in the storefront search', async ({ browser }) => {
  const word = uniqueWord();
  const name = `Nebula Kettle ${word}`;
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN);
  await admin.getByRole('link', { name: 'Admin' }).click();
  await admin.getByRole('link', { name: 'Products' }).click();

  await admin.getByRole('button', { name: 'New product' }).click();
  const form = admin.getByRole('dialog');
  await form.getByLabel('SKU').fill(`NEB-${word.toUpperCase()}`);
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Description').fill('Boils a litre in two minutes.');
  await form.getByLabel('Price').fill('49.90');
  await choose(admin, /^Category/, /›/);
  await form.getByLabel('Initial stock').fill('0');
  await form.getByRole('button', { name: 'Create product' }).click();
  await expect(admin.getByText('Product created')).toBeVisible();

  await admin.getByLabel('Search').fill(word);
  await admin.getByLabel('Search').press('Enter');
  await admin.getByRole('button', { name: `Adjust stock of ${name}` }).click();
  const adjust = admin.getByRole('dialog');
  await adjust.getByRole('textbox', { name: /^Change/ }).fill('25');
  await adjust.getByLabel('Reason').fill('Initial delivery');
  await adjust.getByRole('button', { name: 'Save adjustment' }).click();
  await expect(admin.getByText(`Stock of ${name} is now 25`)).toBeVisible();

  const shopper = await (await browser.newContext()).newPage();
  await shopper.goto('/');
  await shopper.getByLabel('Search').fill(word);
  await shopper.getByRole('button', { name: 'Search' }).click();
  const card = shopper.getByRole('article', { name });
  await expect(card).toBeVisible();
  await expect(card).toContainText('49.90');
  await expect(card).toContainText('In stock');
});
