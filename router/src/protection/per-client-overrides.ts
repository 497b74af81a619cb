import { ConfigError } from '@minishop/runtime';
import { z } from 'zod';
import { CLIENT_TYPES, type ClientType } from '../caller';

/**
 * Reads an environment variable holding JSON of partial per-client-type overrides
 * (`{"anonymous": {"maxDepth": 8}}`) and merges it over the defaults. Unknown client types or
 * settings, bad JSON and out-of-range values throw a ConfigError naming the variable and the key.
 */
export function readPerClientOverrides<Settings extends z.ZodRawShape>(
  variable: string,
  json: string | undefined,
  settings: Settings,
  defaults: Record<ClientType, z.infer<z.ZodObject<Settings>>>,
): Record<ClientType, z.infer<z.ZodObject<Settings>>> {
  if (json === undefined || json.trim() === '') return defaults;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new ConfigError([`${variable}: not valid JSON (${(error as Error).message})`]);
  }
  const override = z.strictObject(settings).partial();
  const schema = z.strictObject(Object.fromEntries(CLIENT_TYPES.map((type) => [type, override.optional()])));
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
        return keys.map((key) => [variable, ...key].join('.')).join(', ') + `: ${issue.message}`;
      }),
    );
  }
  const overrides = result.data as Partial<Record<ClientType, Partial<z.infer<z.ZodObject<Settings>>>>>;
  return Object.fromEntries(CLIENT_TYPES.map((type) => [type, { ...defaults[type], ...overrides[type] }])) as Record<
    ClientType,
    z.infer<z.ZodObject<Settings>>
  >;
}
