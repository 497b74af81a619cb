import { GraphQLScalarType, Kind } from 'graphql';
import { badUserInput } from './errors';

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw badUserInput('DateTime must be an ISO-8601 string');
  return date;
}

/** `scalar DateTime`: an ISO-8601 timestamp in UTC, e.g. 2026-11-21T10:00:00.000Z. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp in UTC, e.g. 2026-11-21T10:00:00.000Z',
  serialize: (value) => (value instanceof Date ? value : parseDate(value)).toISOString(),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});
