import pino, { type Logger } from 'pino';
import { activeTraceIds } from './tracing';

export type { Logger };

/**
 * JSON logs on stdout, one line per event, with the process's service name on every line and the
 * trace_id/span_id of the active span when tracing is on.
 */
export function createLogger(service: string, level: string): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: activeTraceIds,
  });
}
