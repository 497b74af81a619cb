import { isActive, normalizeCode } from './service';

describe('coupon rules', () => {
  const now = new Date('2026-11-21T12:00:00Z');

  it('is active until it expires or is disabled', () => {
    expect(isActive({ expiresAt: null, disabledAt: null }, now)).toBe(true);
    expect(isActive({ expiresAt: new Date('2026-11-22T00:00:00Z'), disabledAt: null }, now)).toBe(true);
    expect(isActive({ expiresAt: new Date('2026-11-21T11:59:59Z'), disabledAt: null }, now)).toBe(false);
    expect(isActive({ expiresAt: null, disabledAt: new Date('2026-11-01T00:00:00Z') }, now)).toBe(false);
  });

  it('matches codes case-insensitively', () => {
    expect(normalizeCode('  welcome10 ')).toBe('WELCOME10');
  });
});
