import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeJwt } from 'jose';
import { createIdentitySigner, createIdentityVerifier, type Identity } from './identity';
import { loadOrCreateSigningKey, type SigningKey } from './signing-key';

describe('identity tokens (router -> subgraphs)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'identity-spec-'));
  let key: SigningKey;
  let otherKey: SigningKey;
  beforeAll(async () => {
    key = await loadOrCreateSigningKey(path.join(dir, 'router.json'));
    otherKey = await loadOrCreateSigningKey(path.join(dir, 'other.json'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const verifierFor = (signing: SigningKey) => createIdentityVerifier(createLocalJWKSet({ keys: [signing.publicJwk] }));

  it.each<Identity>([
    { kind: 'user', viewer: { userId: 'u-1', roles: ['ops'], scopes: ['stock:write', 'orders:manage'] } },
    { kind: 'partner', clientId: 'pc-1', manifestId: 'acme-feed' },
    { kind: 'anonymous' },
    { kind: 'router' },
  ])('round-trips a $kind identity', async (identity) => {
    const token = await createIdentitySigner(key, { ttlSeconds: 60 }).sign(identity);
    expect(await verifierFor(key).verify(bearer(token))).toEqual(identity);
    expect(decodeJwt(token)).toMatchObject({ iss: 'minishop-router', aud: 'minishop-subgraphs' });
  });

  it('reuses a token for the same identity and signs another for a different one', async () => {
    const signer = createIdentitySigner(key, { ttlSeconds: 60 });
    const viewer = { userId: 'u-2', roles: [], scopes: [] };
    const first = await signer.sign({ kind: 'user', viewer });
    expect(await signer.sign({ kind: 'user', viewer: { ...viewer } })).toBe(first);
    expect(await signer.sign({ kind: 'user', viewer: { ...viewer, userId: 'u-3' } })).not.toBe(first);
  });

  it('refuses tokens of another key, and no token means no identity', async () => {
    const forged = await createIdentitySigner(otherKey, { ttlSeconds: 60 }).sign({ kind: 'router' });
    await expect(verifierFor(key).verify(bearer(forged))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(await verifierFor(key).verify({})).toBeNull();
  });
});
