/** The `extensions.code` values this step answers with. */
export const PersistedErrorCode = {
  /** Unknown id. First-party callers get HTTP 200 so Apollo clients resend the query (APQ). */
  NotFound: 'PERSISTED_QUERY_NOT_FOUND',
  /** The operation is not in the caller's safelist (or freeform GraphQL where only ids are allowed). */
  NotInList: 'PERSISTED_QUERY_NOT_IN_LIST',
  BadRequest: 'BAD_REQUEST',
} as const;

export interface PersistedFailure {
  ok: false;
  code: string;
  message: string;
  /** The HTTP status to answer with. */
  status: number;
}

export interface PersistedSuccess {
  ok: true;
  /** The operation text to parse and execute. */
  query: string;
  /** The operation's sha256 id when it came by id, was registered by APQ or matched the web manifest. */
  persistedId?: string;
  /** Where the text came from: a caller's manifest, the APQ cache, or the request body as sent. */
  source: 'manifest' | 'apq' | 'freeform';
}

export type PersistedResolution = PersistedSuccess | PersistedFailure;

export const badRequest = (message: string): PersistedFailure => ({
  ok: false,
  code: PersistedErrorCode.BadRequest,
  message,
  status: 400,
});

// Apollo clients recognise this exact message (and the code) as "resend with the query".
export const notFound = (status: 200 | 400): PersistedFailure => ({
  ok: false,
  code: PersistedErrorCode.NotFound,
  message: 'PersistedQueryNotFound',
  status,
});

export const notInList = (message: string): PersistedFailure => ({
  ok: false,
  code: PersistedErrorCode.NotInList,
  message,
  status: 400,
});
