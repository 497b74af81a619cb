import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { EVENTS_EXCHANGE } from '@minishop/runtime';
import { CHROMIUM_LAUNCH_OPTIONS } from '../../scripts/dev/chromium';
import { Broker, payloadFor } from '../../workers/test/fixtures';
import { startRouter } from '../src';
import { EXPLORER_EXAMPLES, exampleTabs } from '../src/explorer/examples';
import { errorCodesOf, eventually, graphql, logger, loginAs, routerConfig, startStack, wsClient } from './harness';

const CHROMIUM = { ...CHROMIUM_LAUNCH_OPTIONS, headless: true };

/** GraphiQL's editors are CodeMirror 5 instances, reachable from their wrapper element. */
interface CodeMirrorElement {
  CodeMirror: { getValue(): string; setValue(value: string): void };
}
const QUERY = '.graphiql-query-editor .CodeMirror';
const RESULT = '.result-window .CodeMirror';
const VISIBLE_HEADERS = '.graphiql-editor-tool .graphiql-editor:not(.hidden) .CodeMirror';

/** The example tabs, titled by their operations. */
const TAB_TITLES = ['Catalog', 'Login', 'Me', 'MyOrderUpdates', 'ProductReviews', 'ValidateCoupon', 'CreateCoupon'];

// Functions, never strings: Playwright evaluates string predicates with eval, which the page's CSP forbids.
const editorValue = (page: Page, selector: string) =>
  page.locator(selector).evaluate((element) => (element as unknown as CodeMirrorElement).CodeMirror.getValue());
const setEditorValue = (page: Page, selector: string, value: string) =>
  page
    .locator(selector)
    .evaluate((element, text) => (element as unknown as CodeMirrorElement).CodeMirror.setValue(text), value);

describe('developer explorer at /explorer', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    stack = await startStack();
    origin = new URL(stack.router.url).origin;
    browser = await chromium.launch(CHROMIUM);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /**
   * A fresh browser profile on /explorer that may reach the router only: every other request is
   * aborted and recorded (the explorer must work offline). Console errors (CSP violations among them)
   * and page errors are recorded too.
   */
  async function openExplorer() {
    const context = await browser.newContext();
    const offsite: string[] = [];
    const problems: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === origin) return route.continue();
      offsite.push(url.href);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${origin}/explorer`);
    await page.locator('.graphiql-container').waitFor();
    return { context, page, offsite, problems };
  }

  /** Runs the active tab and returns the response from the result pane once it shows `expected`. */
  async function execute(page: Page, expected: string): Promise<{ data?: Record<string, unknown>; errors?: unknown }> {
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window', { hasText: expected }).waitFor();
    return JSON.parse(await editorValue(page, RESULT));
  }

  let context: BrowserContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  it('renders GraphiQL with the explorer plugin and the example tabs, and runs the catalog example against the router', async () => {
    const opened = await openExplorer();
    ({ context } = opened);
    const { page } = opened;

    // The explorer plugin is open and lists the root fields it read from the router by introspection.
    await page.getByRole('button', { name: 'Hide GraphiQL Explorer' }).waitFor();
    await page.locator('.graphiql-explorer-root').getByText('products', { exact: true }).waitFor();

    await expect(page.locator('.graphiql-tab-button').allInnerTexts()).resolves.toEqual(TAB_TITLES);
    const catalog = exampleTabs()[0]?.query ?? '';
    await expect(editorValue(page, QUERY)).resolves.toBe(catalog);

    const direct = await graphql(stack.router, catalog);
    const names = (body: { data?: Record<string, unknown> | null }) =>
      (body.data?.products as { edges: { node: { name: string } }[] }).edges.map((edge) => edge.node.name);
    expect(names(direct.body).length).toBeGreaterThan(0);

    const shown = await execute(page, '"products"');
    expect(shown.errors).toBeUndefined();
    expect(names(shown)).toEqual(names(direct.body));

    expect(opened.offsite).toEqual([]);
    expect(opened.problems).toEqual([]);
  }, 60_000);

  it('runs the live order status tab over graphql-ws, with the tab headers as connection_init payload', async () => {
    const opened = await openExplorer();
    ({ context } = opened);
    const { page } = opened;
    const token = await loginAs(stack.router, 'customer');
    const customer = await stack.prisma.user.findUniqueOrThrow({ where: { email: 'customer@minishop.dev' } });
    const order = await stack.prisma.order.findFirstOrThrow({ where: { userId: customer.id } });
    const broker = await Broker.create(EVENTS_EXCHANGE);
    try {
      await page.locator('.graphiql-tab-button', { hasText: /^MyOrderUpdates$/ }).click();
      await setEditorValue(page, VISIBLE_HEADERS, JSON.stringify({ Authorization: `Bearer ${token}` }));
      const active = stack.router.subscriptions.active;
      await page.locator('.graphiql-execute-button').click();
      expect(await eventually(async () => stack.router.subscriptions.active > active, 10_000)).toBe(true);
      const event = payloadFor(
        'order.status_changed',
        { orderId: order.id, userId: customer.id },
        { from: 'PAID', to: 'SHIPPED', sequence: 1_000 },
      );
      broker.publish('order.status_changed', randomUUID(), event);
      await page.locator('.result-window', { hasText: '"SHIPPED"' }).waitFor();
      const shown = JSON.parse(await editorValue(page, RESULT)) as { data?: { myOrderUpdates?: unknown } };
      expect(shown.data?.myOrderUpdates).toMatchObject({
        previousStatus: 'PAID',
        status: 'SHIPPED',
        order: { id: order.id },
      });
      expect(opened.offsite).toEqual([]);
      expect(opened.problems).toEqual([]);
    } finally {
      await broker.dispose([]);
    }
  }, 60_000);

  it('sends the headers typed into a tab and keeps them in localStorage across reloads', async () => {
    const opened = await openExplorer();
    ({ context } = opened);
    const { page } = opened;
    const token = await loginAs(stack.router, 'customer');

    await page.locator('.graphiql-tab-button', { hasText: /^Me$/ }).click();
    await setEditorValue(page, VISIBLE_HEADERS, JSON.stringify({ Authorization: `Bearer ${token}` }));
    const me = await execute(page, 'customer@minishop.dev');
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toMatchObject({ email: 'customer@minishop.dev', cart: expect.any(Object) });
    await page.waitForFunction(
      (expected) =>
        (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage
          .getItem('graphiql:tabState')
          ?.includes(expected),
      token,
    );

    // Twice: GraphiQL 3.8 on its own would open a duplicate tab without headers on the second start.
    for (const round of [1, 2]) {
      await page.reload();
      await page.locator('.graphiql-container').waitFor();
      await expect(page.locator('.graphiql-tab-button').allInnerTexts()).resolves.toEqual(TAB_TITLES);
      const active = await page.locator('.graphiql-tab-active .graphiql-tab-button').innerText();
      await expect(editorValue(page, VISIBLE_HEADERS)).resolves.toContain(token);
      expect([round, active]).toEqual([round, 'Me']);
    }
    await expect(execute(page, 'customer@minishop.dev')).resolves.toMatchObject({
      data: { me: { email: 'customer@minishop.dev' } },
    });

    expect(opened.offsite).toEqual([]);
    expect(opened.problems).toEqual([]);
  }, 60_000);

  /** Subscribes over graphql-ws: [] once the router holds the subscription, else the error codes. */
  async function subscribes(query: string, token?: string) {
    const client = wsClient(stack.router, token ? { Authorization: `Bearer ${token}` } : {});
    const active = stack.router.subscriptions.active;
    try {
      const { outcome } = client.subscribe(query);
      await eventually(async () => outcome.error !== undefined || stack.router.subscriptions.active > active);
      return outcome.error === undefined ? [] : errorCodesOf(outcome.error);
    } finally {
      await client.dispose();
    }
  }

  it('runs every example through the router with the token it asks for, and none without it', async () => {
    const tokens = { customer: await loginAs(stack.router, 'customer'), admin: await loginAs(stack.router, 'admin') };
    const couponCode = `EXPL${randomUUID().slice(0, 8).toUpperCase()}`;
    try {
      for (const [index, tab] of exampleTabs().entries()) {
        const example = EXPLORER_EXAMPLES[index];
        const variables =
          example?.file === 'create-coupon.graphql'
            ? { input: { ...(example.variables?.input as object), code: couponCode } }
            : example?.variables;
        const token = example?.signIn ? tokens[example.signIn] : undefined;
        if (tab.query.includes('\nsubscription ')) {
          expect([example?.file, await subscribes(tab.query, token)]).toEqual([example?.file, []]);
          expect([example?.file, await subscribes(tab.query)]).toEqual([example?.file, ['UNAUTHENTICATED']]);
          continue;
        }
        const { body } = await graphql(stack.router, tab.query, variables, token);
        expect([example?.file, body.errors]).toEqual([example?.file, undefined]);
        if (!token) continue;
        const anonymous = await graphql(stack.router, tab.query, variables);
        expect([example?.file, anonymous.body.errors?.[0]?.extensions?.code]).toEqual([
          example?.file,
          'UNAUTHENTICATED',
        ]);
      }
    } finally {
      await stack.prisma.coupon.deleteMany({ where: { code: couponCode } });
    }
  }, 30_000);

  it('serves the page with security headers and the bundles with their content types', async () => {
    const response = await fetch(`${origin}/explorer`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
        "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).not.toMatch(/<script>|<style>|\son\w+=|https?:\/\//);

    const assets = {
      'graphiql.min.js': 'text/javascript; charset=utf-8',
      'graphiql.min.css': 'text/css; charset=utf-8',
      'react.production.min.js': 'text/javascript; charset=utf-8',
      'react-dom.production.min.js': 'text/javascript; charset=utf-8',
      'plugin-explorer.umd.js': 'text/javascript; charset=utf-8',
      'plugin-explorer.css': 'text/css; charset=utf-8',
      'explorer.js': 'text/javascript; charset=utf-8',
      'explorer.json': 'application/json; charset=utf-8',
    };
    for (const [name, contentType] of Object.entries(assets)) {
      const asset = await fetch(`${origin}/explorer/assets/${name}`);
      expect([name, asset.status, asset.headers.get('content-type')]).toEqual([name, 200, contentType]);
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      expect(asset.headers.get('etag')).toMatch(/^"[\w-]+"$/);
      await asset.arrayBuffer();
    }
    expect((await fetch(`${origin}/explorer`, { method: 'POST' })).status).toBe(405);
  });

  it('is absent when EXPLORER_ENABLED is false', async () => {
    const router = await startRouter(routerConfig(stack.subgraphs, { explorerEnabled: false }), logger);
    try {
      const base = new URL(router.url).origin;
      for (const path of [
        '/explorer',
        '/explorer/',
        '/explorer/assets/graphiql.min.js',
        '/explorer/assets/explorer.js',
      ]) {
        expect([path, (await fetch(`${base}${path}`)).status]).toEqual([path, 404]);
      }
      expect((await graphql(router, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await router.stop();
    }
  }, 30_000);
});
