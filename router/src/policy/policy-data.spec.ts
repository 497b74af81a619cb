import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { embeddedDecisionPoint } from './embedded-decision-point';
import { readPolicyData, type PolicyData } from './policy-data';

const dir = mkdtempSync(path.join(tmpdir(), 'policy-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

describe('policy data', () => {
  it('reads the shipped bundle data', () => {
    const data = readPolicyData();
    expect(Object.keys(data.policies).sort()).toEqual(['customer.pii', 'inventory.read']);
    expect(data.partner_grants['acme-feed']).toEqual(['inventory']);
  });

  it.each([
    ['a missing file', path.join(dir, 'missing.json'), /cannot read policy data/],
    ['a file that is not JSON', file('broken.json', '{"policies": '), /cannot read policy data/],
    ['no partner_grants', file('no-grants.json', '{"policies": {}}'), /partner_grants/],
    [
      'a misspelt policy field',
      file('typo.json', '{"policies": {"p": {"allow_if_all": []}}, "partner_grants": {}}'),
      /allow_if_all/,
    ],
    [
      'a known condition key of the wrong type',
      file('type.json', '{"policies": {"p": {"allow_if_any": [{"roles_any": "admin"}]}}, "partner_grants": {}}'),
      /roles_any/,
    ],
    [
      'an unknown subject kind',
      file('kind.json', '{"policies": {"p": {"allow_if_any": [{"subject_kind": "robot"}]}}, "partner_grants": {}}'),
      /subject_kind/,
    ],
  ])('throws at start on %s', (_, target, message) => {
    expect(() => readPolicyData(target)).toThrow(message);
  });

  it('keeps unknown condition keys, so that they deny instead of vanishing', async () => {
    const data: PolicyData = {
      policies: { p: { allow_if_any: [{ subject_kind: 'user', not_a_key: true }] } },
      partner_grants: {},
    };
    const point = embeddedDecisionPoint(data);
    const decisions = await point.decide({
      subject: { kind: 'user', id: 'u-1', roles: [], scopes: [] },
      client: null,
      operation: { name: null, type: 'query' },
      policies: ['p'],
    });
    expect(decisions).toEqual({ p: false });
  });

  it('validates data passed to the embedded decision point', () => {
    const invalid = { policies: { p: { allow_if_any: [{ roles_any: 'admin' }] } }, partner_grants: {} };
    expect(() => embeddedDecisionPoint(invalid as unknown as PolicyData)).toThrow(/roles_any/);
  });
});
