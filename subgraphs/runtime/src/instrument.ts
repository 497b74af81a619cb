// The first import of every process's entry point (`import '@minishop/runtime/src/instrument';`):
// tracing must start before the modules it instruments are loaded. Named after the entry point
// unless OTEL_SERVICE_NAME says otherwise.
import { serviceNameOf, startTelemetry } from './telemetry';

const service = process.env.OTEL_SERVICE_NAME ?? serviceNameOf(require.main?.filename ?? process.argv[1] ?? 'minishop');
try {
  startTelemetry({ service });
} catch (error) {
  process.stderr.write(`${service}: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
