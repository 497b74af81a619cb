import { DomainError } from './errors';
import { checkPageSize, decodeTimeCursor, encodeTimeCursor } from './pagination';

const codeAndField = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return [error.extensions['code'], error.extensions['field']];
    throw error;
  }
  throw new Error('expected a DomainError');
};

describe('time cursors', () => {
  it('round-trips a timestamp and id', () => {
    const cursor = { at: new Date('2025-01-02T03:04:05.678Z'), id: '6f1c2f7e-5b7a-4c1e-9a57-0d3b1c2a4e5f' };
    expect(decodeTimeCursor(encodeTimeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    'nonsense',
    Buffer.from('["2025-01-02T03:04:05.678Z","not-a-uuid"]').toString('base64url'),
    Buffer.from('["yesterday","6f1c2f7e-5b7a-4c1e-9a57-0d3b1c2a4e5f"]').toString('base64url'),
    Buffer.from('{"at":1}').toString('base64url'),
  ])('rejects %p as BAD_USER_INPUT on `after`', (token) => {
    expect(codeAndField(() => decodeTimeCursor(token))).toEqual(['BAD_USER_INPUT', 'after']);
  });
});

describe('checkPageSize', () => {
  it('accepts 1..100 and names the field otherwise', () => {
    expect(checkPageSize(1)).toBe(1);
    expect(checkPageSize(100)).toBe(100);
    expect(codeAndField(() => checkPageSize(0))).toEqual(['BAD_USER_INPUT', 'first']);
    expect(codeAndField(() => checkPageSize(101, 'limit'))).toEqual(['BAD_USER_INPUT', 'limit']);
  });
});
