// OpenTelemetry tracing shared by every process. Loaded by `instrument.ts`, the first import of each
// entry point, so the instrumentations patch http, undici, graphql, pg, ioredis and amqplib before
// anything else loads them. Imports only OpenTelemetry and tracing.ts (API only) for that reason.
import path from 'node:path';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { onTracingStop } from './tracing';

/** Probes and scrapes are not traffic: no spans for them. */
const UNTRACED_PATHS = ['/health/live', '/health/ready', '/metrics'];

export interface TelemetrySettings {
  service: string;
  /** Where spans go; without one (and without OTEL_EXPORTER_OTLP_ENDPOINT) nothing is traced. */
  exporter?: SpanExporter;
}

/**
 * The environment variables read here and by instrument.ts. The OpenTelemetry SDK reads further OTEL_*
 * settings of its own (e.g. OTEL_BSP_MAX_QUEUE_SIZE, OTEL_EXPORTER_OTLP_HEADERS).
 */
export const TELEMETRY_ENV_NAMES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
  'OTEL_SERVICE_NAME',
  'SERVICE_VERSION',
  'DEPLOYMENT_ENVIRONMENT',
] as const;

let started = false;

/** Reads OTEL_TRACES_SAMPLER_ARG: the share of new traces recorded, 0..1 (default 1). */
export function samplingRatio(env: NodeJS.ProcessEnv): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG;
  if (raw === undefined || raw === '') return 1;
  const ratio = Number(raw);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "${raw}"`);
  }
  return ratio;
}

/**
 * Starts tracing when an exporter is given or OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP/HTTP with JSON,
 * which cost the router less CPU than protobuf in bench:router);
 * otherwise does nothing and returns false. New traces are sampled at OTEL_TRACES_SAMPLER_ARG; a
 * request that arrives with a W3C `traceparent` follows its caller's decision (parent-based). Spans
 * carry service.name, service.version (SERVICE_VERSION) and deployment.environment (DEPLOYMENT_ENVIRONMENT).
 * OTEL_NODE_DISABLED_INSTRUMENTATIONS (e.g. `graphql,pg`) leaves instrumentations out.
 */
export function startTelemetry(settings: TelemetrySettings, env: NodeJS.ProcessEnv = process.env): boolean {
  if (started || (!settings.exporter && !env.OTEL_EXPORTER_OTLP_ENDPOINT)) return false;
  started = true;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.service,
      [ATTR_SERVICE_VERSION]: env.SERVICE_VERSION ?? 'dev',
      'deployment.environment': env.DEPLOYMENT_ENVIRONMENT ?? 'development',
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(samplingRatio(env)) }),
    spanProcessors: [new BatchSpanProcessor(settings.exporter ?? new OTLPTraceExporter())],
  });
  provider.register();
  onTracingStop(() => provider.shutdown());
  const untraced = (url: string | undefined) => UNTRACED_PATHS.includes((url ?? '').split('?')[0] ?? '');
  const instrumentations = {
    http: () => new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => untraced(request.url) }),
    undici: () => new UndiciInstrumentation(),
    // Parse, validate and execute spans, no span per resolver: wrapping every field's resolver cost the
    // router (whose gateway post-processes each response through graphql-js) ~10% of its throughput.
    // The gateway's fetch spans and the subgraphs' SQL spans show where the time goes.
    graphql: () => new GraphQLInstrumentation({ ignoreResolveSpans: true }),
    pg: () => new PgInstrumentation({ requireParentSpan: true }),
    ioredis: () => new IORedisInstrumentation({ requireParentSpan: true }),
    // Publish spans (ended by the broker's confirm) that put their traceparent on the message, and a
    // consume span around each delivery's handling.
    amqplib: () => new AmqplibInstrumentation(),
  };
  const disabled = new Set((env.OTEL_NODE_DISABLED_INSTRUMENTATIONS ?? '').split(',').map((name) => name.trim()));
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: Object.entries(instrumentations)
      .filter(([name]) => !disabled.has(name))
      .map(([, create]) => create()),
  });
  return true;
}

/** The service an entry point runs: `router/src/main.ts` -> router, `scripts/dev/subgraphs.ts` -> subgraphs. */
export function serviceNameOf(entryFile: string): string {
  const { dir, name } = path.parse(entryFile);
  return name === 'main' && path.basename(dir) === 'src' ? path.basename(path.dirname(dir)) : name;
}
