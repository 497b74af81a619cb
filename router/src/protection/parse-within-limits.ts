import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { LimitCode, LimitError, type OperationLimits } from './operation-limits';

// graphql 16.14.2 says "more that"; accept the corrected spelling too.
const TOKEN_LIMIT_MESSAGE = /Document contains more tha[nt] \d+ tokens/;

/**
 * Parses the operation, giving up after `limits.maxTokens` tokens so a flood costs no more than the
 * limit. Returns the document, a LimitError (MAX_TOKENS_LIMIT), or the syntax error as Apollo Server
 * reports it (`extensions.code: GRAPHQL_PARSE_FAILED`); both errors are answered with HTTP 400.
 */
export function parseWithinLimits(query: string, limits: OperationLimits): DocumentNode | LimitError | GraphQLError {
  try {
    return parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    if (TOKEN_LIMIT_MESSAGE.test(error.message)) {
      return new LimitError(LimitCode.MaxTokens, `Operation has more than ${limits.maxTokens} tokens`);
    }
    return new GraphQLError(error.message, {
      source: error.source,
      positions: error.positions,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  }
}
