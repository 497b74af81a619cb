import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@minishop/runtime';
import { z } from 'zod';
import { embeddedDecisionPoint } from './embedded-decision-point';
import { policyDataSchema, readPolicyData } from './policy-data';

// The shared decision table: deploy/opa/tests/authz_test.rego runs the same cases against the Rego.
const TABLE_FILE = path.join(repoRoot, 'deploy/opa/tests/decision_table/data.json');

const kind = z.enum(['anonymous', 'user', 'partner']);
const tableSchema = z.object({
  cases: z.array(
    z.strictObject({
      name: z.string().min(1),
      input: z.strictObject({
        subject: z.strictObject({
          kind,
          id: z.string().optional(),
          roles: z.array(z.string()),
          scopes: z.array(z.string()),
        }),
        client: z.strictObject({ id: z.string(), manifest_id: z.string() }).nullable(),
        operation: z.strictObject({ name: z.string().nullable(), type: z.enum(['query', 'mutation', 'subscription']) }),
        policies: z.array(z.string()),
      }),
      expected: z.record(z.string(), z.boolean()),
      /** Policy data of the case's own, instead of the bundle's (to exercise every condition key). */
      data: policyDataSchema.optional(),
    }),
  ),
});

const { cases } = tableSchema.parse(JSON.parse(readFileSync(TABLE_FILE, 'utf8')));
const shipped = embeddedDecisionPoint();

describe('shared decision table against the embedded decision point', () => {
  it('has 20+ uniquely named cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it('covers every shipped policy for every subject kind', () => {
    const covered = new Set(
      cases.filter((c) => !c.data).flatMap((c) => c.input.policies.map((name) => `${name}/${c.input.subject.kind}`)),
    );
    for (const name of Object.keys(readPolicyData().policies)) {
      for (const subjectKind of kind.options) expect(covered).toContain(`${name}/${subjectKind}`);
    }
  });

  it.each(cases)('$name', async ({ input, expected, data }) => {
    const point = data ? embeddedDecisionPoint(data) : shipped;
    expect(await point.decide(input)).toEqual(expected);
  });
});
