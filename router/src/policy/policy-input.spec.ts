import type { Caller } from '../caller';
import { policyInputFor } from './policy-input';

const operation = { name: 'ProductFeed', type: 'query' } as const;

describe('policyInputFor', () => {
  it('leaves an anonymous caller without id, roles, scopes, client or IP', () => {
    expect(policyInputFor({ kind: 'anonymous', ip: '203.0.113.9' }, operation, ['inventory.read'])).toEqual({
      subject: { kind: 'anonymous', roles: [], scopes: [] },
      client: null,
      operation,
      policies: ['inventory.read'],
    });
  });

  it("carries a user's id, roles and scopes", () => {
    const caller: Caller = { kind: 'user', userId: 'u-1', roles: ['ops'], scopes: ['stock:write'] };
    expect(policyInputFor(caller, operation, ['inventory.read'])).toEqual({
      subject: { kind: 'user', id: 'u-1', roles: ['ops'], scopes: ['stock:write'] },
      client: null,
      operation,
      policies: ['inventory.read'],
    });
  });

  it("carries a partner's client and manifest, with no roles or scopes", () => {
    const caller: Caller = { kind: 'partner', clientId: 'pc-1', name: 'Acme', manifestId: 'acme-feed' };
    expect(policyInputFor(caller, operation, ['inventory.read'])).toEqual({
      subject: { kind: 'partner', id: 'pc-1', roles: [], scopes: [] },
      client: { id: 'pc-1', manifest_id: 'acme-feed' },
      operation,
      policies: ['inventory.read'],
    });
  });

  it('lists each policy once, sorted, so equal operations share cache entries', () => {
    const policies = new Set(['inventory.read', 'customer.pii']);
    expect(policyInputFor({ kind: 'anonymous', ip: '::1' }, operation, [...policies, 'customer.pii']).policies).toEqual(
      ['customer.pii', 'inventory.read'],
    );
  });
});
