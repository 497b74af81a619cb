// The Kubernetes manifests, checked offline: each overlay renders (deploy/test/kustomize.ts), every
// object validates against its kind's schema, and every minishop container is configured the way
// its process reads its config (deploy/test/process-env.ts). Names, ports and probes follow the code.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readSupergraphConfig } from '@minishop/runtime';
import { render, matchesTarget, podSpecOf, type KubeObject } from '../test/kustomize';
import { validateObject } from '../test/kubernetes-schemas';
import { required } from '../test/required';
import { checkProcessEnv, defaultPortOf, PROCESS_ENTRIES, portVariableOf, type ProcessName } from '../test/process-env';

const OVERLAYS = ['dev', 'staging', 'prod'] as const;
const APP_NAMESPACE = 'minishop-app';
const NAMESPACES = [APP_NAMESPACE, 'minishop-infra', 'minishop-observability'];
const IMAGE = 'ghcr.io/minishop/minishop';
const SUBGRAPHS = readSupergraphConfig();

interface Container {
  name: string;
  image: string;
  args?: string[];
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: object; limits?: object };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}

interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  securityContext?: { runAsNonRoot?: boolean };
}

const rendered = Object.fromEntries(
  OVERLAYS.map((overlay) => [overlay, render(path.join(__dirname, 'overlays', overlay))]),
) as Record<(typeof OVERLAYS)[number], KubeObject[]>;

const find = (objects: KubeObject[], kind: string, name: string, namespace = APP_NAMESPACE) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);

/** The workloads running the minishop image, with the process each runs. */
function minishopContainers(objects: KubeObject[]) {
  return objects.flatMap((workload) => {
    const pod = podSpecOf(workload) as PodSpec | undefined;
    return (pod?.containers ?? [])
      .filter((container) => container.image.startsWith(`${IMAGE}:`))
      .map((container) => ({
        workload,
        pod: required(pod, 'pod'),
        container,
        process: container.args?.[0] as ProcessName,
      }));
  });
}

/** The literal env of a container (envFrom ConfigMaps expanded); secret-backed values are undefined. */
function envOf(objects: KubeObject[], container: Container, namespace: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const name = required(ref, `${container.name} envFrom`).name;
    const object = required(find(objects, kind, name, namespace), `${container.name}: envFrom ${kind} ${name}`);
    Object.assign(env, object.data ?? object.stringData);
  }
  for (const variable of container.env ?? []) env[variable.name] = variable.value;
  return env;
}

/** Secrets a container reads, by name: each must be rendered (a Secret, or an ExternalSecret's target). */
function secretNames(objects: KubeObject[], namespace: string): Set<string> {
  const names = new Set<string>();
  for (const object of objects.filter((o) => o.metadata.namespace === namespace)) {
    if (object.kind === 'Secret') names.add(object.metadata.name);
    if (object.kind === 'ExternalSecret') {
      const target = (object.spec as { target?: { name?: string } }).target?.name;
      names.add(target ?? object.metadata.name);
    }
  }
  return names;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values: string[] }[];
}

interface Source {
  anyone?: true;
  podSelector?: Selector;
  namespaceSelector?: Selector;
}

const selects = (selector: Selector, labels: Record<string, string>) =>
  Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
  (selector.matchExpressions ?? []).every((e) => e.operator === 'In' && e.values.includes(labels[e.key] ?? ''));

/** An ingress rule's `from` entry in words: `anyone`, `namespace <name>` or `pods <label>=<value>,...`. */
function describeSource(source: Source): string {
  if (source.anyone) return 'anyone';
  if (source.namespaceSelector) {
    return `namespace ${source.namespaceSelector.matchLabels?.['kubernetes.io/metadata.name']}`;
  }
  const labels = Object.entries(source.podSelector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  return `pods ${labels.join(',')}`;
}

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const objects = rendered[overlay];
  const app = minishopContainers(objects);

  it('validates every object against the schema of its kind', () => {
    const failures = objects.flatMap((object) => {
      try {
        validateObject(object);
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    });
    expect(failures).toEqual([]);
  });

  it('puts everything in the app, infra and observability namespaces, which it creates', () => {
    const namespaces = objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name);
    expect(namespaces.sort()).toEqual([...NAMESPACES].sort());
    const elsewhere = objects.filter((o) => o.kind !== 'Namespace' && !NAMESPACES.includes(o.metadata.namespace ?? ''));
    expect(elsewhere.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([]);
  });

  it('runs every deployable process from the one image, and never the demo seed', () => {
    const processes = app.map(({ process }) => process);
    const deployable = Object.keys(PROCESS_ENTRIES).filter((name) => name !== 'seed');
    expect(new Set(processes)).toEqual(new Set(deployable));
    for (const { container } of app) expect(container.command).toBeUndefined();
    for (const object of objects) {
      for (const container of [
        ...(podSpecOf(object)?.containers ?? []),
        ...(podSpecOf(object)?.initContainers ?? []),
      ]) {
        const image = (container as Container).image;
        if (image.startsWith(IMAGE)) expect(image).toMatch(overlay === 'dev' ? /:dev$/ : /:sha-[0-9a-f]{40}$/);
        else expect(image).toMatch(/^[\w./-]+:[\w.-]+$/); // third-party images pinned to a version
      }
    }
  });

  it('gives each process exactly the variables it reads, with every required one and valid literal values', () => {
    const problems = app.flatMap(({ workload, container, process }) =>
      checkProcessEnv(process, envOf(objects, container, APP_NAMESPACE)).map(
        (problem) => `${workload.metadata.name}: ${problem.name} ${problem.problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('reads only secrets the overlay provides', () => {
    const provided = secretNames(objects, APP_NAMESPACE);
    for (const { workload, container, pod } of app) {
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref)
          expect([workload.metadata.name, provided.has(ref.name) && ref.name]).toEqual([
            workload.metadata.name,
            ref.name,
          ]);
      }
      const volumes = (pod as { volumes?: { secret?: { secretName: string } }[] }).volumes ?? [];
      for (const volume of volumes) if (volume.secret) expect(provided).toContain(volume.secret.secretName);
    }
    if (overlay !== 'dev') {
      const external = objects.filter((o) => o.kind === 'ExternalSecret').map((o) => o.metadata.name);
      expect(external.sort()).toEqual([
        'minishop-backing-services',
        'minishop-jwt-signing-key',
        'minishop-router-identity-key',
      ]);
      expect(objects.filter((o) => o.kind === 'Secret' && o.metadata.namespace === APP_NAMESPACE)).toEqual([]);
    }
  });

  it('listens where the process listens and probes its health endpoints', () => {
    for (const { workload, container, process } of app.filter(({ process }) => process !== 'migrate')) {
      const env = envOf(objects, container, APP_NAMESPACE);
      const portVariable = required(portVariableOf(process), `${process} port variable`);
      const port = Number(env[portVariable] ?? defaultPortOf(process));
      const http = container.ports?.find((p) => p.name === 'http');
      expect([workload.metadata.name, http?.containerPort]).toEqual([workload.metadata.name, port]);
      if (process === 'router') {
        expect(container.ports?.find((p) => p.name === 'metrics')?.containerPort).toBe(Number(env.METRICS_PORT));
      }
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(env.HOST).toBe('0.0.0.0');
    }
  });

  it('runs every container non-root on a read-only root filesystem with requests and limits', () => {
    for (const object of objects) {
      const pod = podSpecOf(object) as PodSpec | undefined;
      if (!pod) continue;
      const label = `${object.kind} ${object.metadata.name}`;
      expect([label, pod.securityContext?.runAsNonRoot]).toEqual([label, true]);
      for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
        expect([label, container.name, container.securityContext]).toMatchObject([
          label,
          container.name,
          { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
        ]);
        expect([label, container.name, Object.keys(container.resources ?? {}).sort()]).toEqual([
          label,
          container.name,
          ['limits', 'requests'],
        ]);
      }
    }
  });

  it('routes the router to every subgraph through a Service on the port in supergraph.yaml', () => {
    const router = required(
      app.find(({ process }) => process === 'router'),
      'router container',
    );
    const env = envOf(objects, router.container, APP_NAMESPACE);
    for (const subgraph of SUBGRAPHS) {
      const url = new URL(env[`SUBGRAPH_URL_${subgraph.name.toUpperCase()}`] ?? '');
      const service = required(find(objects, 'Service', url.hostname), `Service ${url.hostname}`);
      const ports = (service.spec as { ports: { port: number }[] }).ports.map((p) => p.port);
      expect([subgraph.name, ports]).toEqual([subgraph.name, [Number(new URL(subgraph.routingUrl).port)]]);
      expect(Number(url.port)).toBe(Number(new URL(subgraph.routingUrl).port));
      const selector = (service.spec as { selector: Record<string, string> }).selector;
      expect(selector['app.kubernetes.io/name']).toBe(subgraph.name);
    }
  });

  it('lets only the router reach the subgraphs, and only the ingress controller reach the public ports', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === APP_NAMESPACE);
    const allowedSources = (name: string) => {
      const deployment = required(find(objects, 'Deployment', name), `Deployment ${name}`);
      const labels = (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template
        .metadata.labels;
      const sources = policies
        .filter((policy) => selects((policy.spec as { podSelector: Selector }).podSelector, labels))
        .flatMap((policy) => (policy.spec as { ingress?: { from?: Source[] }[] }).ingress ?? [])
        .flatMap((rule): Source[] => rule.from ?? [{ anyone: true }]);
      return new Set(sources.map(describeSource));
    };
    const router = 'pods app.kubernetes.io/name=router';
    const prometheus = 'namespace minishop-observability';
    const ingressController = 'namespace ingress-nginx';
    for (const { name } of SUBGRAPHS) {
      const expected = [router, prometheus];
      if (['products', 'coupons', 'cart'].includes(name)) expected.push('pods app.kubernetes.io/name=orders');
      expect([name, allowedSources(name)]).toEqual([name, new Set(expected)]);
    }
    expect(allowedSources('router')).toEqual(
      new Set([ingressController, 'pods app.kubernetes.io/part-of=minishop', prometheus]),
    );
    expect(allowedSources('web')).toEqual(new Set([ingressController]));
    expect(allowedSources('workers')).toEqual(new Set([prometheus]));
    const denyAll = policies.find(
      (policy) => JSON.stringify((policy.spec as { podSelector: object }).podSelector) === '{}',
    );
    expect(denyAll?.spec).toMatchObject({ policyTypes: ['Ingress'] });
    expect((denyAll?.spec as { ingress?: unknown }).ingress).toBeUndefined();
  });

  it('takes the address of anonymous callers from the ingress controller only', () => {
    const router = required(
      app.find(({ process }) => process === 'router'),
      'router container',
    );
    expect(envOf(objects, router.container, APP_NAMESPACE).TRUSTED_PROXIES).toBe('uniquelocal');
  });

  it('autoscales the router and every subgraph and keeps disruption budgets for every long-running process', () => {
    const scaled = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => o.metadata.name);
    expect(new Set(scaled)).toEqual(new Set(['router', ...SUBGRAPHS.map((s) => s.name)]));
    const budgets = objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => o.metadata.name);
    expect(new Set(budgets)).toEqual(new Set(['router', ...SUBGRAPHS.map((s) => s.name), 'workers', 'web']));
  });

  it('runs the router with its OPA sidecar, loaded with the policy bundle shipped in the image', () => {
    const router = required(
      app.find(({ process }) => process === 'router'),
      'router container',
    );
    const opa = required(
      router.pod.containers.find((c) => c.name === 'opa'),
      'opa sidecar',
    );
    expect(opa.image).toMatch(/^openpolicyagent\/opa:/);
    expect(opa.args).toEqual(expect.arrayContaining(['run', '--server', '--addr=127.0.0.1:8181']));
    const copy = router.pod.initContainers?.find((c) => c.image.startsWith(IMAGE));
    expect(copy?.command?.join(' ')).toContain('/app/deploy/opa/bundle');
    const env = envOf(objects, router.container, APP_NAMESPACE);
    expect(env).toMatchObject({ POLICY_DECISION_POINT: 'opa', OPA_URL: 'http://127.0.0.1:8181' });
  });

  it('runs the migrations as a Job', () => {
    const job = objects.filter((o) => o.kind === 'Job');
    expect(job.map((o) => (podSpecOf(o) as PodSpec).containers[0]?.args)).toEqual([['migrate']]);
  });
});

describe('release strategies', () => {
  const rollout = (overlay: (typeof OVERLAYS)[number]) => find(rendered[overlay], 'Rollout', 'router');

  it('releases the router plainly in dev, as an analysed canary in staging and blue/green in prod', () => {
    expect(rollout('dev')).toBeUndefined();
    const canary = (
      required(rollout('staging'), 'staging Rollout').spec as { strategy: { canary?: { steps: object[] } } }
    ).strategy.canary;
    expect(canary?.steps).toEqual(expect.arrayContaining([expect.objectContaining({ analysis: expect.anything() })]));
    const blueGreen = (
      required(rollout('prod'), 'prod Rollout').spec as { strategy: { blueGreen?: Record<string, unknown> } }
    ).strategy.blueGreen;
    expect(blueGreen).toMatchObject({
      activeService: 'router',
      previewService: 'router-preview',
      autoPromotionEnabled: false,
    });
    expect(find(rendered.prod, 'Service', 'router-preview')).toBeDefined();
  });

  it('analyses error rate and p95 latency of the new pods with Prometheus', () => {
    for (const overlay of ['staging', 'prod'] as const) {
      const template = required(
        rendered[overlay].find((o) => o.kind === 'AnalysisTemplate'),
        'AnalysisTemplate',
      );
      const metrics = (template.spec as { metrics: { name: string; provider: { prometheus: { query: string } } }[] })
        .metrics;
      const queries = metrics.map((metric) => metric.provider.prometheus.query).join('\n');
      expect(queries).toContain('router_operation_duration_seconds_count');
      expect(queries).toContain('histogram_quantile(0.95');
      expect(queries).toContain('rollouts_pod_template_hash');
    }
  });

  it('has the higher replica floor in prod', () => {
    const min = (overlay: (typeof OVERLAYS)[number], name: string) =>
      (
        required(find(rendered[overlay], 'HorizontalPodAutoscaler', name), `HPA ${name}`).spec as {
          minReplicas: number;
        }
      ).minReplicas;
    expect(min('prod', 'router')).toBeGreaterThan(min('staging', 'router'));
    expect(min('prod', 'orders')).toBeGreaterThan(min('staging', 'orders'));
  });
});

describe('kustomizations', () => {
  it('patch targets select by kind, name and labels', () => {
    const object = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'router', labels: { tier: 'edge' } } };
    expect(matchesTarget(object, { kind: 'Service', name: '^(router|users)$' })).toBe(true);
    expect(matchesTarget(object, { kind: 'Service', name: 'route' })).toBe(false);
    expect(matchesTarget(object, { labelSelector: 'tier in (edge,core)' })).toBe(true);
    expect(matchesTarget(object, { labelSelector: 'tier!=edge' })).toBe(false);
  });

  it('alert rules are the ones Prometheus loads in compose (deploy/observability/alerts.yaml)', () => {
    const alerts = parse(readFileSync(path.join(__dirname, '../observability/alerts.yaml'), 'utf8')) as {
      groups: unknown;
    };
    const rule = required(
      rendered.prod.find((o) => o.kind === 'PrometheusRule'),
      'PrometheusRule',
    );
    expect((rule.spec as { groups: unknown }).groups).toEqual(alerts.groups);
  });

  it('every overlay directory is rendered here', () => {
    expect(readdirSync(path.join(__dirname, 'overlays')).sort()).toEqual([...OVERLAYS].sort());
  });
});
