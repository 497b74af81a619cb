import { DomainError } from '@minishop/runtime';
import { checkCreateInput, checkUpdateInput } from './validation';

const valid = { productId: '00000000-0000-4000-8000-000000000000', rating: 4, title: ' Nice ', body: ' Good kettle. ' };

function fieldOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return [error.extensions['code'], error.extensions['field']];
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('review input validation', () => {
  it('trims title and body', () => {
    expect(checkCreateInput(valid)).toEqual({ rating: 4, title: 'Nice', body: 'Good kettle.' });
  });

  it.each([
    [{ rating: 0 }, 'rating'],
    [{ rating: 5.5 }, 'rating'],
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ body: ' \n ' }, 'body'],
    [{ body: 'x'.repeat(5001) }, 'body'],
  ])('rejects %p naming the field', (change, field) => {
    expect(fieldOf(() => checkCreateInput({ ...valid, ...change }))).toEqual(['BAD_USER_INPUT', field]);
  });

  it('accepts the limits', () => {
    expect(checkCreateInput({ ...valid, rating: 5, title: 'x'.repeat(200), body: 'y'.repeat(5000) }).rating).toBe(5);
  });

  it('keeps only the given fields of an update and checks them', () => {
    expect(checkUpdateInput({ rating: null, title: ' New ' })).toEqual({ title: 'New' });
    expect(fieldOf(() => checkUpdateInput({ rating: 9 }))).toEqual(['BAD_USER_INPUT', 'rating']);
  });
});
