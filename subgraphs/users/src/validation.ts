import { badUserInput } from '@minishop/runtime';

// Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is proven by mail, not regex.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are unique case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (normalized.length > 320 || !EMAIL.test(normalized))
    throw badUserInput('Email address is not valid', { field: 'email' });
  return normalized;
}

export function validateName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw badUserInput('Name must be 1 to 100 characters', { field: 'name' });
  return trimmed;
}

export function validatePassword(password: string, field = 'password'): string {
  if (password.length < 8 || password.length > 128) {
    throw badUserInput('Password must be 8 to 128 characters', { field });
  }
  return password;
}
