import { CombinedGraphQLErrors, ServerError } from '@apollo/client';

/** What a failed operation means for the person using the app, by the router's stable error codes. */
export interface ErrorMeaning {
  title: string;
  message: string;
  code: string | null;
}

const TITLES: Record<string, string> = {
  BAD_USER_INPUT: 'Please check your input',
  UNAUTHENTICATED: 'Please sign in',
  FORBIDDEN: 'Not allowed',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Already taken or changed',
  RATE_LIMITED: 'Too many requests',
  PERSISTED_QUERY_NOT_FOUND: 'This page is out of date',
  PERSISTED_QUERY_NOT_IN_LIST: 'This page is out of date',
};

// Codes whose server message is written for the person who sent the input; for every other code the
// app says it in its own words (server messages there are for developers).
const USER_FACING_MESSAGES = new Set(['BAD_USER_INPUT', 'CONFLICT', 'NOT_FOUND']);

const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'Sign in to continue.',
  FORBIDDEN: 'Your account may not do this.',
  RATE_LIMITED: 'Please wait a moment and try again.',
  PERSISTED_QUERY_NOT_FOUND: 'The shop was updated. Reload the page to continue.',
  PERSISTED_QUERY_NOT_IN_LIST: 'The shop was updated. Reload the page to continue.',
};

function meaning(code: string | null, serverMessage: string | undefined): ErrorMeaning {
  const title = (code && TITLES[code]) ?? 'Something went wrong';
  const message =
    code && USER_FACING_MESSAGES.has(code) && serverMessage
      ? serverMessage
      : ((code && MESSAGES[code]) ?? 'The shop could not do this right now. Please try again.');
  return { title, message, code };
}

export function describeError(error: unknown): ErrorMeaning {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    const code = first?.extensions?.['code'];
    return meaning(typeof code === 'string' ? code : null, first?.message);
  }
  if (ServerError.is(error) && error.statusCode === 429) return meaning('RATE_LIMITED', undefined);
  return {
    title: 'Connection problem',
    message: 'The shop cannot be reached right now. Check your connection and try again.',
    code: null,
  };
}

/** The `extensions.code` of a failed operation's first error, if any. */
export function errorCode(error: unknown): string | null {
  return describeError(error).code;
}
