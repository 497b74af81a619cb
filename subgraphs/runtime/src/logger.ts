import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';
import { activeTraceIds } from './tracing';

export type { Logger };

/** The fields of the request being handled (request id, operation, client), added to its log lines. */
const requestLogFields = new AsyncLocalStorage<Readonly<Record<string, string>>>();

/**
 * Runs `work` with `fields` on every log line written while it runs (in any logger). The object is
 * read at each line, so fields added to it later (the operation name once known) appear too.
 */
export function withLogFields<T>(fields: Readonly<Record<string, string>>, work: () => T): T {
  return requestLogFields.run(fields, work);
}

/**
 * Credentials never reach a log line, whatever object is logged: pino replaces these keys (up to
 * two levels down, e.g. `req.headers.authorization`) before writing.
 */
const SECRET_KEYS = ['authorization', 'cookie', 'x-api-key', 'password', 'token', 'apiKey', 'cardNumber', 'cvc'];
const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => {
  const segment = /^\w+$/.test(key) ? key : `["${key}"]`;
  const under = (prefix: string) => (segment.startsWith('[') ? `${prefix}${segment}` : `${prefix}.${segment}`);
  return [segment, under('*'), under('*.*')];
});

/**
 * JSON logs on stdout, one line per event, with the process's service name on every line, the
 * fields of the request being handled and the trace_id/span_id of the active span when tracing is on.
 */
export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => ({ ...requestLogFields.getStore(), ...activeTraceIds() }),
  };
  return destination ? pino(options, destination) : pino(options);
}
