import { GraphQLError, Kind } from 'graphql';
import { DEFAULT_OPERATION_LIMITS, LimitError } from './operation-limits';
import { parseWithinLimits } from './parse-within-limits';

const limits = { ...DEFAULT_OPERATION_LIMITS.user, maxTokens: 100 };

/** `{ __typename __typename ... }`: two braces plus `count` names. */
const query = (count: number) => `{ ${'__typename '.repeat(count)}}`;

describe('parseWithinLimits', () => {
  it('parses a document within the token limit', () => {
    const document = parseWithinLimits(query(98), limits);
    expect(document).not.toBeInstanceOf(GraphQLError);
    expect((document as { kind: string }).kind).toBe(Kind.DOCUMENT);
  });

  it('rejects a token flood with MAX_TOKENS_LIMIT and HTTP 400', () => {
    const error = parseWithinLimits(query(99), limits);
    expect(error).toBeInstanceOf(LimitError);
    expect(error).toMatchObject({
      code: 'MAX_TOKENS_LIMIT',
      status: 400,
      extensions: { code: 'MAX_TOKENS_LIMIT' },
      message: 'Operation has more than 100 tokens',
    });
  });

  it('applies each client type its own token limit', () => {
    const flood = query(3_000);
    expect(parseWithinLimits(flood, DEFAULT_OPERATION_LIMITS.anonymous)).toBeInstanceOf(LimitError);
    expect(parseWithinLimits(flood, DEFAULT_OPERATION_LIMITS.user)).not.toBeInstanceOf(GraphQLError);
  });

  it('reports a syntax error as Apollo Server does (GRAPHQL_PARSE_FAILED), not as a limit', () => {
    const error = parseWithinLimits('{ products { ', limits);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error).not.toBeInstanceOf(LimitError);
    expect((error as GraphQLError).toJSON()).toEqual({
      message: 'Syntax Error: Expected Name, found <EOF>.',
      locations: [{ line: 1, column: 14 }],
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });
});
