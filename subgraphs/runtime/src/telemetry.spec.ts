import { samplingRatio, serviceNameOf, startTelemetry } from './telemetry';

describe('telemetry settings', () => {
  it('names a process after its entry point', () => {
    expect(serviceNameOf('/srv/minishop/router/src/main.ts')).toBe('router');
    expect(serviceNameOf('/srv/minishop/subgraphs/orders/src/main.ts')).toBe('orders');
    expect(serviceNameOf('/srv/minishop/scripts/dev/subgraphs.ts')).toBe('subgraphs');
  });

  it('samples every new trace unless OTEL_TRACES_SAMPLER_ARG says otherwise, and refuses nonsense', () => {
    expect(samplingRatio({})).toBe(1);
    expect(samplingRatio({ OTEL_TRACES_SAMPLER_ARG: '0.25' })).toBe(0.25);
    expect(samplingRatio({ OTEL_TRACES_SAMPLER_ARG: '0' })).toBe(0);
    for (const bad of ['1.5', '-0.1', 'half']) {
      expect(() => samplingRatio({ OTEL_TRACES_SAMPLER_ARG: bad })).toThrow(
        /OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/,
      );
    }
  });

  it('traces nothing when no exporter is configured', () => {
    expect(startTelemetry({ service: 'test' }, {})).toBe(false);
  });
});
