// What every process needs of tracing at run time, on the OpenTelemetry API alone: the SDK
// (telemetry.ts) is loaded only by the entry points' first import (instrument.ts), never by the
// logger or the process runner. Without the SDK every call here is a cheap no-op.
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type SpanKind,
} from '@opentelemetry/api';

export { SpanKind } from '@opentelemetry/api';

let stopHook: (() => Promise<void>) | null = null;

const tracer = trace.getTracer('minishop');

/** The ids to put on a log line: those of the active span, if any. */
export function activeTraceIds(): { trace_id: string; span_id: string } | Record<string, never> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** The W3C `traceparent` of the active span (what outbox rows and messages carry), if tracing is on. */
export function activeTraceparent(active: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return carrier.traceparent;
}

/** The context a `traceparent` (from a message header or an outbox row) continues; the root one without. */
export function contextOfTraceparent(traceparent: unknown): Context {
  return typeof traceparent === 'string' ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** Runs `work` in the trace a `traceparent` continues (e.g. publishing an outbox row in its request's trace). */
export function inTraceOf<T>(traceparent: unknown, work: () => T): T {
  return context.with(contextOfTraceparent(traceparent), work);
}

/**
 * The parent for handling a delivered message: the amqplib instrumentation's consume span when it is
 * active (it continued the message's trace), else the message's own `traceparent` header.
 */
export function deliveryContext(traceparent: unknown): Context {
  const active = context.active();
  return trace.getSpan(active) ? active : contextOfTraceparent(traceparent);
}

export interface SpanSettings {
  kind: SpanKind;
  /** The span's parent: e.g. the context of a message's traceparent. */
  parent: Context;
  attributes?: Attributes;
}

/** Runs `work` in a new active span, which records a thrown error and ends when the work does. */
export function inSpan<T>(name: string, settings: SpanSettings, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(
    name,
    { kind: settings.kind, attributes: settings.attributes },
    settings.parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        recordFailure(error, span);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks a span (by default the active one) failed with `error`, for failures handled without a throw. */
export function recordFailure(error: unknown, span: Span | undefined = trace.getActiveSpan()): void {
  span?.recordException(error instanceof Error ? error : String(error));
  span?.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Called by the SDK setup: how to export what is buffered and stop. */
export function onTracingStop(stop: () => Promise<void>): void {
  stopHook = stop;
}

/** Exports the spans still buffered and stops tracing (runProcess calls it last when shutting down). */
export async function stopTracing(): Promise<void> {
  const stop = stopHook;
  stopHook = null;
  await stop?.();
}
