import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@minishop/runtime';
import { z } from 'zod';

/** The policy data OPA serves as `data.minishop` (its bundle), read by the embedded decision point too. */
export const DEFAULT_POLICY_DATA_FILE = path.join(repoRoot, 'deploy/opa/bundle/minishop/data.json');

// Known condition keys are type-checked; unknown keys are kept (loose) so that, as in the Rego, they
// make their condition fail rather than being silently dropped.
const conditionSchema = z.looseObject({
  subject_kind: z.enum(['anonymous', 'user', 'partner']).optional(),
  roles_any: z.array(z.string()).optional(),
  scopes_all: z.array(z.string()).optional(),
  partner_grant: z.string().optional(),
  operation_types: z.array(z.enum(['query', 'mutation', 'subscription'])).optional(),
});

export const policyDataSchema = z.object({
  policies: z.record(z.string(), z.strictObject({ allow_if_any: z.array(conditionSchema) })),
  /** Partner manifest id -> the grants its clients hold. */
  partner_grants: z.record(z.string(), z.array(z.string())),
});

export type PolicyData = z.infer<typeof policyDataSchema>;
export type PolicyCondition = z.infer<typeof conditionSchema>;

/** Validates policy data; throws an Error naming `source` and every problem. */
export function parsePolicyData(value: unknown, source: string): PolicyData {
  const result = policyDataSchema.safeParse(value);
  if (!result.success) throw new Error(`invalid policy data in ${source}:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Reads and validates the policy data file, once, at start. Throws on a missing, malformed or invalid file. */
export function readPolicyData(file = DEFAULT_POLICY_DATA_FILE): PolicyData {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read policy data ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parsePolicyData(json, file);
}
