// Notifications as clients see them: through the router, with real logins; rows are inserted
// directly, as the order-event consumer would.
import { randomUUID } from 'node:crypto';
import { graphql, registerCustomer, startStack, type GraphQLBody } from '../../../router/test/harness';

type Stack = Awaited<ReturnType<typeof startStack>>;

const LIST = `query($first: Int!, $after: String, $unreadOnly: Boolean!) {
  myNotifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
    totalCount
    unreadCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id title read readAt } }
  }
}`;
const ME = '{ me { id notifications(first: 2) { totalCount unreadCount edges { node { id } } } } }';
const MARK = 'mutation($id: ID!) { markNotificationRead(id: $id) { id read readAt } }';
const MARK_ALL = 'mutation { markAllRead }';
const PREFS = '{ notificationPreferences { email sms } }';
const UPDATE_PREFS =
  'mutation($input: NotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { email sms } }';

interface Page {
  totalCount: number;
  unreadCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: { id: string; title: string; read: boolean; readAt: string | null } }[];
}

const codes = (body: GraphQLBody) => (body.errors ?? []).map((error) => error.extensions?.['code']);

function dataOf<T>(body: GraphQLBody, field: string): T {
  if (body.errors || !body.data) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
  return body.data[field] as T;
}

/** `rows[index]`, which the test created. */
function nth<T>(rows: T[], index: number): T {
  const row = rows[index];
  if (row === undefined) throw new Error(`no row ${index}`);
  return row;
}

describe('notifications through the router', () => {
  let stack: Stack;
  const userIds: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });

  afterAll(async () => {
    if (stack) {
      await stack.prisma.notification.deleteMany({ where: { userId: { in: userIds } } });
      await stack.prisma.notificationPreference.deleteMany({ where: { userId: { in: userIds } } });
      await stack.prisma.user.deleteMany({ where: { id: { in: userIds } } });
      await stack.stop();
    }
  });

  /** A fresh user with `count` notifications a minute apart (newest last); every third is already read. */
  async function userWithNotifications(count: number) {
    const customer = await registerCustomer(stack.router);
    userIds.push(customer.userId);
    const base = Date.parse('2025-06-01T00:00:00Z');
    const rows = Array.from({ length: count }, (_, index) => ({
      id: randomUUID(),
      userId: customer.userId,
      kind: 'order.status_changed',
      title: `Update ${index}`,
      body: 'Your order moved on.',
      createdAt: new Date(base + index * 60_000),
      readAt: index % 3 === 0 ? new Date(base + index * 60_000 + 1_000) : null,
    }));
    await stack.prisma.notification.createMany({ data: rows });
    return { ...customer, rows };
  }

  const list = (token: string | undefined, variables: { first: number; after?: string | null; unreadOnly?: boolean }) =>
    graphql(stack.router, LIST, { unreadOnly: false, ...variables }, token).then((result) => result.body);

  async function allPages(token: string, unreadOnly: boolean): Promise<string[]> {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = dataOf<Page>(await list(token, { first: 2, after, unreadOnly }), 'myNotifications');
      ids.push(...page.edges.map((edge) => edge.node.id));
      if (!page.pageInfo.hasNextPage) return ids;
      after = page.pageInfo.endCursor;
    }
  }

  it('lists the viewer’s own notifications newest first, paged without gaps, with counts', async () => {
    const { token, rows } = await userWithNotifications(7);
    await userWithNotifications(2); // someone else's must not show up
    const newestFirst = [...rows].reverse();

    const first = dataOf<Page>(await list(token, { first: 3 }), 'myNotifications');
    expect(first).toMatchObject({ totalCount: 7, unreadCount: 4, pageInfo: { hasNextPage: true } });
    expect(first.edges.map((edge) => edge.node.title)).toEqual(['Update 6', 'Update 5', 'Update 4']);
    expect(first.edges[0]?.node).toMatchObject({ read: true });
    expect(first.edges[1]?.node).toMatchObject({ read: false, readAt: null });

    expect(await allPages(token, false)).toEqual(newestFirst.map((row) => row.id));
    expect(await allPages(token, true)).toEqual(newestFirst.filter((row) => row.readAt === null).map((row) => row.id));
    const unread = dataOf<Page>(await list(token, { first: 10, unreadOnly: true }), 'myNotifications');
    expect(unread).toMatchObject({ totalCount: 4, unreadCount: 4 });
  });

  it('serves me { notifications } for the viewer only, and nothing to anonymous callers', async () => {
    const { token, userId, rows } = await userWithNotifications(3);
    const { body } = await graphql(stack.router, ME, {}, token);
    expect(dataOf(body, 'me')).toEqual({
      id: userId,
      notifications: {
        totalCount: 3,
        unreadCount: 2,
        edges: [{ node: { id: rows[2]?.id } }, { node: { id: rows[1]?.id } }],
      },
    });

    expect(codes(await list(undefined, { first: 2 }))).toEqual(['UNAUTHENTICATED']);
    for (const operation of [PREFS, MARK_ALL]) {
      expect(codes((await graphql(stack.router, operation)).body)).toEqual(['UNAUTHENTICATED']);
    }
    // Another user's notifications through the User entity: refused.
    const other = await userWithNotifications(1);
    const foreign = await graphql(
      stack.router,
      'query($id: ID!) { user(id: $id) { id notifications { totalCount } } }',
      { id: other.userId },
      token,
    );
    expect(codes(foreign.body)).toEqual(['FORBIDDEN']);
    expect(foreign.body.data?.['user']).toEqual({ id: other.userId, notifications: null });
  });

  it('marks one read idempotently, and answers NOT_FOUND for ids the viewer does not own', async () => {
    const { token, rows } = await userWithNotifications(2);
    const other = await userWithNotifications(2);
    const target = nth(rows, 1);

    const marked = dataOf<{ id: string; read: boolean; readAt: string }>(
      (await graphql(stack.router, MARK, { id: target.id }, token)).body,
      'markNotificationRead',
    );
    expect(marked).toMatchObject({ id: target.id, read: true });
    const again = dataOf<{ readAt: string }>(
      (await graphql(stack.router, MARK, { id: target.id }, token)).body,
      'markNotificationRead',
    );
    expect(again.readAt).toBe(marked.readAt);

    for (const id of [nth(other.rows, 1).id, randomUUID(), 'not-a-uuid']) {
      const { body } = await graphql(stack.router, MARK, { id }, token);
      expect(codes(body)).toEqual(['NOT_FOUND']);
    }
    expect(await stack.prisma.notification.findUnique({ where: { id: nth(other.rows, 1).id } })).toMatchObject({
      readAt: null,
    });
  });

  it('marks all read, returning how many changed', async () => {
    const { token, userId } = await userWithNotifications(5);
    const other = await userWithNotifications(2);
    expect(dataOf((await graphql(stack.router, MARK_ALL, {}, token)).body, 'markAllRead')).toBe(3);
    expect(dataOf((await graphql(stack.router, MARK_ALL, {}, token)).body, 'markAllRead')).toBe(0);
    expect(await stack.prisma.notification.count({ where: { userId, readAt: null } })).toBe(0);
    expect(await stack.prisma.notification.count({ where: { userId: other.userId, readAt: null } })).toBe(1);
  });

  it('resolves Notification references only for their owner', async () => {
    const { token, rows } = await userWithNotifications(1);
    const other = await userWithNotifications(1);
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Notification { id title } } }';
    const notifications = String(stack.subgraphs.urls['notifications']);
    const representations = [nth(rows, 0).id, nth(other.rows, 0).id].map((id) => ({ __typename: 'Notification', id }));
    const { body } = await graphql(notifications, query, { r: representations }, await stack.subgraphs.asRouter(token));
    expect(dataOf(body, '_entities')).toEqual([{ id: nth(rows, 0).id, title: 'Update 0' }, null]);
    const anonymous = await graphql(notifications, query, { r: representations });
    expect(dataOf(anonymous.body, '_entities')).toEqual([null, null]);
  });

  it('keeps preferences per user, defaulting to email on and SMS off', async () => {
    const { token, userId } = await userWithNotifications(0);
    expect(dataOf((await graphql(stack.router, PREFS, {}, token)).body, 'notificationPreferences')).toEqual({
      email: true,
      sms: false,
    });
    const updated = await graphql(stack.router, UPDATE_PREFS, { input: { sms: true } }, token);
    expect(dataOf(updated.body, 'updateNotificationPreferences')).toEqual({ email: true, sms: true });
    const second = await graphql(stack.router, UPDATE_PREFS, { input: { email: false, sms: null } }, token);
    expect(dataOf(second.body, 'updateNotificationPreferences')).toEqual({ email: false, sms: true });
    expect(await stack.prisma.notificationPreference.findUnique({ where: { userId } })).toMatchObject({
      email: false,
      sms: true,
    });
    const other = await userWithNotifications(0);
    expect(dataOf((await graphql(stack.router, PREFS, {}, other.token)).body, 'notificationPreferences')).toEqual({
      email: true,
      sms: false,
    });
  });
});
