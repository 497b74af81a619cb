import { GraphQLError } from 'graphql';
import { createErrorFormatter, notFound } from './errors';

describe('createErrorFormatter', () => {
  it('passes domain errors through with their code and without a stack trace', () => {
    const unexpected = jest.fn();
    const format = createErrorFormatter(unexpected);
    const error = notFound('No such product');
    const formatted = format(
      { message: error.message, extensions: { code: 'NOT_FOUND', stacktrace: ['at x.ts:1'] } },
      error,
    );
    expect(formatted).toEqual({ message: 'No such product', extensions: { code: 'NOT_FOUND' } });
    expect(unexpected).not.toHaveBeenCalled();
  });

  it('masks unknown errors as INTERNAL_SERVER_ERROR and reports the original', () => {
    const unexpected = jest.fn();
    const format = createErrorFormatter(unexpected);
    const original = new GraphQLError('connect ECONNREFUSED 127.0.0.1:5432');
    const formatted = format(
      { message: original.message, path: ['product'], extensions: { code: 'SOMETHING' } },
      original,
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['product'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(unexpected).toHaveBeenCalledWith(original);
  });
});
