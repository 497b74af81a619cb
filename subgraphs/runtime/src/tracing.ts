// What every process needs of tracing at run time, on the OpenTelemetry API alone: the SDK
// (telemetry.ts) is loaded only by the entry points' first import (instrument.ts), never by the
// logger or the process runner.
import { trace } from '@opentelemetry/api';

let stopHook: (() => Promise<void>) | null = null;

/** The ids to put on a log line: those of the active span, if any. */
export function activeTraceIds(): { trace_id: string; span_id: string } | Record<string, never> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
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
