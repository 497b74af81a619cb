import { generateKeyPair, SignJWT } from 'jose';
import {
  graphql,
  JWT,
  loginAs,
  registerCustomer,
  SEEDED_LOGINS,
  startStack,
  tamperedEnd,
} from '../../../router/test/harness';
import { TokenIssuer } from '../src/tokens';

type Stack = Awaited<ReturnType<typeof startStack>>;

const ME = '{ me { id name email roles memberSince } }';

describe('users through the router', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const code = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => body.errors?.[0]?.extensions?.code;

  describe('register and login', () => {
    it('registers a customer with a normalised email, signs them in, and `me` answers', async () => {
      const email = `New.Shopper.${Date.now()}@Example.COM`;
      const { body } = await graphql(
        stack.router,
        'mutation($input: RegisterInput!) { register(input: $input) { token expiresAt user { id email roles } } }',
        { input: { email: `  ${email} `, name: ' New Shopper ', password: 'correct horse battery' } },
      );
      expect(body.errors).toBeUndefined();
      const payload = body.data?.register as {
        token: string;
        expiresAt: string;
        user: { id: string; email: string; roles: string[] };
      };
      expect(payload.user).toMatchObject({ email: email.toLowerCase(), roles: ['CUSTOMER'] });
      expect(new Date(payload.expiresAt).getTime()).toBeGreaterThan(Date.now());

      const me = await graphql(stack.router, ME, {}, payload.token);
      expect(me.body.data?.me).toMatchObject({ id: payload.user.id, name: 'New Shopper', email: email.toLowerCase() });

      const again = await graphql(
        stack.router,
        'mutation($e: String!) { login(email: $e, password: "correct horse battery") { user { id } } }',
        {
          e: email.toUpperCase(),
        },
      );
      expect((again.body.data?.login as { user: { id: string } }).user.id).toBe(payload.user.id);
    });

    it('refuses a taken email (CONFLICT) and bad input (BAD_USER_INPUT naming the field)', async () => {
      const register = 'mutation($input: RegisterInput!) { register(input: $input) { token } }';
      const taken = await graphql(stack.router, register, {
        input: { email: 'CUSTOMER@minishop.dev', name: 'Copycat', password: 'long enough pw' },
      });
      expect(code(taken.body)).toBe('CONFLICT');
      for (const [input, field] of [
        [{ email: 'not-an-email', name: 'A', password: 'long enough pw' }, 'email'],
        [{ email: `ok-${Date.now()}@example.com`, name: '  ', password: 'long enough pw' }, 'name'],
        [{ email: `ok-${Date.now()}@example.com`, name: 'A', password: 'short' }, 'password'],
      ] as const) {
        const { body } = await graphql(stack.router, register, { input });
        expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
    });

    it('gives the same answer for an unknown email and a wrong password', async () => {
      const login = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
      const unknown = await graphql(stack.router, login, { e: 'nobody@minishop.dev', p: 'whatever123' });
      const wrong = await graphql(stack.router, login, { e: SEEDED_LOGINS.customer.email, p: 'wrong password' });
      expect(unknown.body.errors).toEqual(wrong.body.errors);
      expect(code(unknown.body)).toBe('UNAUTHENTICATED');
    });
  });

  describe('tokens', () => {
    it('issues an EdDSA JWT with kid, issuer, audience, expiry and role-derived scopes', async () => {
      const token = await loginAs(stack.router, 'admin');
      const [header, payload] = token
        .split('.')
        .slice(0, 2)
        .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toMatchObject({ alg: 'EdDSA', typ: 'JWT', kid: expect.any(String) });
      expect(payload).toMatchObject({ iss: 'minishop-users', aud: 'minishop', roles: ['admin'] });
      expect(payload.scope.split(' ')).toEqual(
        expect.arrayContaining(['catalog:write', 'stock:write', 'coupons:write', 'orders:manage', 'users:manage']),
      );
      expect(payload.exp - payload.iat).toBe(600);
    });

    it('publishes the public key set, and no private key material', async () => {
      const users = stack.subgraphs.running.find((subgraph) => subgraph.name === 'users');
      const response = await fetch(String(users?.url).replace('/graphql', '/.well-known/jwks.json'));
      const jwks = (await response.json()) as { keys: Record<string, string>[] };
      expect(jwks.keys).toHaveLength(1);
      expect(jwks.keys[0]).toMatchObject({
        kty: 'OKP',
        crv: 'Ed25519',
        alg: 'EdDSA',
        use: 'sig',
        kid: expect.any(String),
      });
      expect(jwks.keys[0]).not.toHaveProperty('d');
    });

    it('rejects forged, expired, wrong-audience and malformed tokens in every subgraph', async () => {
      const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
      const real = await loginAs(stack.router, 'customer');
      const realKid = JSON.parse(Buffer.from(String(real.split('.')[0]), 'base64url').toString()).kid as string;
      const forged = await new SignJWT({ roles: ['admin'], scope: 'users:manage' })
        .setProtectedHeader({ alg: 'EdDSA', kid: realKid })
        .setSubject('00000000-0000-0000-0000-000000000001')
        .setIssuer('minishop-users')
        .setAudience('minishop')
        .setExpirationTime('10m')
        .sign(privateKey);
      const customer = await stack.prisma.user.findFirstOrThrow({ where: { email: SEEDED_LOGINS.customer.email } });
      const otherAudience = await TokenIssuer.fromKeyFile(stack.subgraphs.keyFile, {
        ...JWT,
        audience: 'elsewhere',
        ttlSeconds: 600,
      });
      const expiredIssuer = await TokenIssuer.fromKeyFile(stack.subgraphs.keyFile, { ...JWT, ttlSeconds: -60 });
      const wrongAudience = (await otherAudience.issue(customer)).token;
      const expired = (await expiredIssuer.issue(customer)).token;
      const badTokens = [forged, wrongAudience, expired, tamperedEnd(real, 4), 'not.a.jwt'];
      for (const token of badTokens) {
        // `me` lives in users, `products` in products: both subgraphs must refuse.
        for (const query of [ME, '{ products(first: 1) { totalCount } }']) {
          const { body } = await graphql(stack.router, query, {}, token);
          expect(code(body)).toBe('UNAUTHENTICATED');
          expect(body.data?.me ?? null).toBeNull();
        }
      }
      const { body } = await graphql(stack.router, ME, {}, expired);
      expect(body.errors?.[0]?.message).toBe('Token has expired');
    });

    it('lets anonymous callers read public fields but not private ones', async () => {
      const products = await graphql(stack.router, '{ products(first: 1) { totalCount } }');
      expect(products.body.errors).toBeUndefined();
      expect(code((await graphql(stack.router, ME)).body)).toBe('UNAUTHENTICATED');
      const someone = await stack.prisma.user.findFirstOrThrow({ where: { email: SEEDED_LOGINS.customer.email } });
      const { body } = await graphql(stack.router, 'query($id: ID!) { user(id: $id) { name email } }', {
        id: someone.id,
      });
      expect(body.data?.user).toBeNull();
      expect(code(body)).toBe('UNAUTHENTICATED');
      const other = await registerCustomer(stack.router);
      const foreign = await graphql(
        stack.router,
        'query($id: ID!) { user(id: $id) { name email } }',
        { id: someone.id },
        other.token,
      );
      expect(code(foreign.body)).toBe('FORBIDDEN');
    });
  });

  describe('profile', () => {
    it('updates the name, and the password only with the current one', async () => {
      const shopper = await registerCustomer(stack.router);
      const update = 'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { name } }';
      const renamed = await graphql(stack.router, update, { input: { name: 'Renamed' } }, shopper.token);
      expect(renamed.body.data?.updateProfile).toEqual({ name: 'Renamed' });

      const wrong = await graphql(
        stack.router,
        update,
        { input: { currentPassword: 'nope', newPassword: 'brand new secret' } },
        shopper.token,
      );
      expect(wrong.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
      const changed = await graphql(
        stack.router,
        update,
        { input: { currentPassword: shopper.password, newPassword: 'brand new secret' } },
        shopper.token,
      );
      expect(changed.body.errors).toBeUndefined();
      const login = await graphql(
        stack.router,
        'mutation($e: String!) { login(email: $e, password: "brand new secret") { token } }',
        {
          e: shopper.email,
        },
      );
      expect(login.body.errors).toBeUndefined();
      expect(code((await graphql(stack.router, update, { input: { name: 'x' } })).body)).toBe('UNAUTHENTICATED');
    });
  });

  describe('administration', () => {
    it('lists users by page and sets roles, for users:manage holders only', async () => {
      const admin = await loginAs(stack.router, 'admin');
      const shopper = await registerCustomer(stack.router);
      const list =
        'query($after: String) { users(first: 2, after: $after) { totalCount edges { node { email } } pageInfo { hasNextPage endCursor } } }';
      const seen: string[] = [];
      let after: string | null = null;
      let total = 0;
      for (;;) {
        const { body } = await graphql(stack.router, list, { after }, admin);
        const page = body.data?.users as {
          totalCount: number;
          edges: { node: { email: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
        total = page.totalCount;
        seen.push(...page.edges.map((edge) => edge.node.email));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(total);
      expect([...seen].sort()).toEqual(seen);

      const setRoles = 'mutation($id: ID!, $roles: [Role!]!) { setUserRoles(userId: $id, roles: $roles) { roles } }';
      const promoted = await graphql(stack.router, setRoles, { id: shopper.userId, roles: ['CUSTOMER', 'OPS'] }, admin);
      expect(promoted.body.data?.setUserRoles).toEqual({ roles: ['customer', 'ops'].map((r) => r.toUpperCase()) });
      const ops = await graphql(
        stack.router,
        'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
        {
          e: shopper.email,
          p: shopper.password,
        },
      );
      const opsToken = (ops.body.data?.login as { token: string }).token;
      const payload = JSON.parse(Buffer.from(String(opsToken.split('.')[1]), 'base64url').toString());
      expect(payload.scope).toBe('orders:manage stock:write');

      expect(code((await graphql(stack.router, list, {}, shopper.token)).body)).toBe('FORBIDDEN');
      expect(code((await graphql(stack.router, list, {})).body)).toBe('UNAUTHENTICATED');
      const missing = await graphql(
        stack.router,
        setRoles,
        { id: '00000000-0000-0000-0000-000000000000', roles: ['OPS'] },
        admin,
      );
      expect(code(missing.body)).toBe('NOT_FOUND');
      const adminId = (await stack.prisma.user.findFirstOrThrow({ where: { email: SEEDED_LOGINS.admin.email } })).id;
      const lockout = await graphql(stack.router, setRoles, { id: adminId, roles: ['CUSTOMER'] }, admin);
      expect(lockout.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'roles' });
    }, 30_000); // pages through every user two at a time: a few hundred requests

    it('creates a partner client whose key is shown once and stored hashed, and revokes it idempotently', async () => {
      const admin = await loginAs(stack.router, 'admin');
      const create =
        'mutation($input: CreatePartnerClientInput!) { createPartnerClient(input: $input) { apiKey client { id keyPrefix revokedAt } } }';
      const { body } = await graphql(
        stack.router,
        create,
        { input: { name: 'Acme Feeds', manifestId: 'acme-feeds' } },
        admin,
      );
      const created = body.data?.createPartnerClient as {
        apiKey: string;
        client: { id: string; keyPrefix: string; revokedAt: null };
      };
      expect(created.apiKey).toMatch(new RegExp(`^msk_${created.client.keyPrefix}_[A-Za-z0-9_-]{43}$`));
      const row = await stack.prisma.partnerClient.findUniqueOrThrow({ where: { id: created.client.id } });
      expect(JSON.stringify(row)).not.toContain(created.apiKey.slice(`msk_${created.client.keyPrefix}_`.length));
      expect(row.keyHash).toMatch(/^[0-9a-f]{64}$/);

      const listed = await graphql(stack.router, '{ partnerClients { id } }', {}, admin);
      expect(listed.body.data?.partnerClients).toEqual(expect.arrayContaining([{ id: created.client.id }]));
      expect(JSON.stringify(listed.body)).not.toContain('apiKey');

      const revoke = 'mutation($id: ID!) { revokePartnerClient(id: $id) { revokedAt } }';
      const first = await graphql(stack.router, revoke, { id: created.client.id }, admin);
      const second = await graphql(stack.router, revoke, { id: created.client.id }, admin);
      expect((first.body.data?.revokePartnerClient as { revokedAt: string }).revokedAt).toEqual(expect.any(String));
      expect(second.body.data?.revokePartnerClient).toEqual(first.body.data?.revokePartnerClient);

      const bad = await graphql(stack.router, create, { input: { name: 'x', manifestId: 'Not Valid' } }, admin);
      expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'manifestId' });
      const customer = await loginAs(stack.router, 'customer');
      expect(
        code((await graphql(stack.router, create, { input: { name: 'x', manifestId: 'x-y' } }, customer)).body),
      ).toBe('FORBIDDEN');
    });

    it('resolves an API key to its active client for the router only', async () => {
      const admin = await loginAs(stack.router, 'admin');
      const { body } = await graphql(
        stack.router,
        'mutation($input: CreatePartnerClientInput!) { createPartnerClient(input: $input) { apiKey client { id } } }',
        { input: { name: 'Key Lookup', manifestId: 'acme-feed' } },
        admin,
      );
      const { apiKey, client } = body.data?.createPartnerClient as { apiKey: string; client: { id: string } };
      const users = String(stack.subgraphs.urls['users']);
      const lookup = 'query($k: String!) { partnerClientByApiKey(apiKey: $k) { id manifestId } }';
      const asRouter = await stack.subgraphs.signIdentity({ kind: 'router' });
      const resolve = async (key: string) =>
        (await graphql(users, lookup, { k: key }, asRouter)).body.data?.partnerClientByApiKey;
      try {
        expect(await resolve(apiKey)).toEqual({ id: client.id, manifestId: 'acme-feed' });
        expect(await resolve(tamperedEnd(apiKey, 1))).toBeNull();
        expect(await resolve('not-a-key')).toBeNull();
        const asAdmin = await stack.subgraphs.asRouter(admin);
        expect(code((await graphql(users, lookup, { k: apiKey }, asAdmin)).body)).toBe('FORBIDDEN');
        expect(code((await graphql(users, lookup, { k: apiKey }, admin)).body)).toBe('UNAUTHENTICATED');

        await graphql(stack.router, 'mutation($id: ID!) { revokePartnerClient(id: $id) { id } }', client, admin);
        expect(await resolve(apiKey)).toBeNull();
      } finally {
        await stack.prisma.partnerClient.delete({ where: { id: client.id } });
      }
    });
  });
});
