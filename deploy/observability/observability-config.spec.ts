// The monitoring configuration must follow the code: every metric an alert or a dashboard panel
// queries is one the processes export, and Prometheus scrapes the ports the processes listen on.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { metrics, readSupergraphConfig } from '@minishop/runtime';
import { readRouterConfig } from '../../router/src/config';
import '../../router/src/metrics';
import '../../workers/src/consumers/consumer-runner';
import { readWorkersConfig } from '../../workers/src/config';
import '../../workers/src/relay/outbox-relay';

const here = __dirname;
const read = (file: string) => readFileSync(path.join(here, file), 'utf8');

/** Every series name the processes export (histograms as _bucket/_count/_sum), Node defaults included. */
function exportedSeries(): Set<string> {
  const defaults = new Registry();
  collectDefaultMetrics({ register: defaults });
  const names = new Set<string>();
  for (const metric of [...metrics.getMetricsAsArray(), ...defaults.getMetricsAsArray()]) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
  }
  return names;
}

/** The minishop metric names a PromQL expression uses (`up` and RabbitMQ's own are not ours). */
function metricNamesIn(expression: string): string[] {
  return [...expression.matchAll(/\b(?:router|subgraph|outbox|consumer|process|nodejs)_[a-z0-9_]+\b/g)].map(
    (match) => match[0],
  );
}

interface AlertRules {
  groups: { name: string; rules: { alert: string; expr: string; for: string; labels: { severity: string } }[] }[];
}

interface Dashboard {
  panels: { title: string; type: string; targets?: { expr: string }[] }[];
}

describe('deploy/observability', () => {
  it('alerts only on metrics the processes export, each with a severity and a duration', () => {
    const exported = exportedSeries();
    const rules = (parse(read('alerts.yaml')) as AlertRules).groups.flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'RouterHighErrorRate',
        'RouterHighLatencyP95',
        'OutboxLagHigh',
        'DeadLetterQueueNotEmpty',
      ]),
    );
    for (const rule of rules) {
      expect({ alert: rule.alert, unknown: metricNamesIn(rule.expr).filter((name) => !exported.has(name)) }).toEqual({
        alert: rule.alert,
        unknown: [],
      });
      expect(['page', 'ticket']).toContain(rule.labels.severity);
      expect(rule.for).toMatch(/^\d+[smh]$/);
    }
  });

  it('charts only metrics the processes export', () => {
    const exported = exportedSeries();
    const dashboard = JSON.parse(read('grafana/dashboards/minishop.json')) as Dashboard;
    const charts = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(charts.length).toBeGreaterThan(10);
    for (const panel of charts) {
      const names = (panel.targets ?? []).flatMap((target) => metricNamesIn(target.expr));
      expect({ panel: panel.title, named: names.length > 0, unknown: names.filter((n) => !exported.has(n)) }).toEqual({
        panel: panel.title,
        named: true,
        unknown: [],
      });
    }
  });

  it('scrapes the ports the processes serve /metrics on', () => {
    const scrape = parse(read('prometheus.yaml')) as {
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    const targets = (job: string) =>
      scrape.scrape_configs.find((config) => config.job_name === job)?.static_configs.flatMap((c) => c.targets);
    const required = { DATABASE_URL: 'postgresql://x@h/d', REDIS_URL: 'redis://h', AMQP_URL: 'amqp://h' };
    expect(targets('router')).toEqual([`router:${readRouterConfig([], required).metricsPort}`]);
    expect(targets('workers')).toEqual([`workers:${readWorkersConfig(required).WORKERS_PORT}`]);
    expect(targets('subgraphs')).toEqual(
      readSupergraphConfig().map(({ name, routingUrl }) => `${name}:${new URL(routingUrl).port}`),
    );
  });
});
