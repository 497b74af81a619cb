import { normalizeEmail, validateName, validatePassword } from './validation';

describe('users input validation', () => {
  it('normalises emails and rejects malformed ones naming the field', () => {
    expect(normalizeEmail('  Casey.Customer@MiniShop.Dev ')).toBe('casey.customer@minishop.dev');
    for (const bad of ['', 'no-at-sign', 'a@b', 'two@@example.com', 'spa ce@example.com']) {
      expect(() => normalizeEmail(bad)).toThrow(
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field: 'email' } }),
      );
    }
  });

  it('bounds names and passwords', () => {
    expect(validateName('  Ada ')).toBe('Ada');
    expect(() => validateName('   ')).toThrow('Name must be 1 to 100 characters');
    expect(() => validatePassword('short')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ field: 'password' }) }),
    );
    expect(validatePassword('long enough')).toBe('long enough');
    expect(() => validatePassword('x'.repeat(129), 'newPassword')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ field: 'newPassword' }) }),
    );
  });
});
