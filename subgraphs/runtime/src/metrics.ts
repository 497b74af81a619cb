// Prometheus metrics shared by every process: one registry per process, served as text on
// `/metrics`, every series labelled with the process's service name, plus Node runtime metrics.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RouteHandler } from './http';

export { Counter, Gauge, Histogram };

/** This process's metrics. Components define theirs once, at module level, with `registers: [metrics]`. */
export const metrics = new Registry();

/** Latency buckets (seconds) for requests, fetches and event handling: 5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processMetricsStarted = false;

/** Labels every series with `service` and adds the Node runtime metrics (CPU, memory, event loop lag, GC). */
export function startProcessMetrics(service: string): void {
  if (processMetricsStarted) return;
  processMetricsStarted = true;
  metrics.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metrics });
}

/** `/metrics`: the registry in the Prometheus text format (GET/HEAD only). */
export function metricsRoutes(): Record<string, RouteHandler> {
  return {
    '/metrics': async (req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const text = await metrics.metrics();
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : text);
    },
  };
}

/** Label values beyond this many distinct ones per label are counted as `other`. */
const MAX_LABEL_VALUES = 500;
const MAX_LABEL_LENGTH = 100;

/**
 * Bounds a label whose values come from callers (operation names, client names): the first
 * `max` distinct values are kept, later new ones become `other`, so no caller can blow up the
 * number of series.
 */
export function boundedLabel(max = MAX_LABEL_VALUES): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    const label = value.slice(0, MAX_LABEL_LENGTH);
    if (seen.has(label)) return label;
    if (seen.size >= max) return 'other';
    seen.add(label);
    return label;
  };
}

/** The outcome label of a GraphQL result: `success`, or the code of its first error (`INTERNAL_SERVER_ERROR` if none). */
export function outcomeOf(errors: readonly { extensions?: Record<string, unknown> }[] | undefined): string {
  if (!errors || errors.length === 0) return 'success';
  const code = errors[0]?.extensions?.['code'];
  return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR';
}

/** Seconds since a `process.hrtime.bigint()` reading. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
