import { Role } from '@minishop/db';

/** What each role may do, as OAuth scopes carried in the token's `scope` claim (checked by @requiresScopes). */
export const ROLE_SCOPES: Record<Role, readonly string[]> = {
  [Role.customer]: [],
  [Role.admin]: ['catalog:write', 'stock:write', 'coupons:write', 'orders:manage', 'users:manage'],
  [Role.ops]: ['stock:write', 'orders:manage'],
};

/** The union of the scopes of `roles`, sorted so tokens are stable. */
export function scopesFor(roles: readonly Role[]): string[] {
  return [...new Set(roles.flatMap((role) => ROLE_SCOPES[role]))].sort();
}
