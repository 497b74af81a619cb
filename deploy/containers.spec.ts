// The container build and the compose file, checked offline against the code: the image builds every
// workspace and runs every process, compose gives each process the variables it reads, and the URLs
// between services point at the service and port the other process listens on.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { parse } from 'yaml';
import { readSupergraphConfig, repoRoot } from '@minishop/runtime';
import { required } from './test/required';
import { checkProcessEnv, defaultPortOf, PROCESS_ENTRIES, portVariableOf, type ProcessName } from './test/process-env';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
  read_only?: boolean;
}

const compose = parse(readFileSync(path.join(__dirname, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(path.join(__dirname, 'Dockerfile'), 'utf8');
const services = Object.entries(compose.services);
const minishop = services
  .filter(([, service]) => service.image === 'minishop:local')
  .map(([name, service]) => ({ name, service, process: service.command?.[0] as ProcessName }));

/** The port a compose service's process listens on (its port variable, or the process default). */
function listeningPort(serviceName: string): number | undefined {
  const entry = minishop.find(({ name }) => name === serviceName);
  if (!entry) return undefined;
  const variable = portVariableOf(entry.process);
  return Number(entry.service.environment?.[variable ?? ''] ?? defaultPortOf(entry.process));
}

describe('deploy/Dockerfile', () => {
  it('installs every workspace from the lockfile', () => {
    const { workspaces } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      workspaces: string[];
    };
    const manifests = globSync(
      workspaces.map((pattern) => `${pattern}/package.json`),
      { cwd: repoRoot },
    );
    expect(manifests.length).toBeGreaterThanOrEqual(12);
    for (const manifest of manifests) expect(dockerfile).toContain(`COPY ${manifest} ${path.dirname(manifest)}/`);
    expect(dockerfile).toContain('COPY package.json package-lock.json ./');
  });

  it('runs as the unprivileged node user through the process entry point, with every port declared', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain('ENTRYPOINT ["node", "scripts/container/entrypoint.js"]');
    const exposed = /^EXPOSE (.+)$/m.exec(dockerfile)?.[1]?.split(' ').map(Number);
    const ports = (Object.keys(PROCESS_ENTRIES) as ProcessName[])
      .map(defaultPortOf)
      .filter((port) => port !== undefined);
    expect(exposed).toEqual(expect.arrayContaining([...ports, 9464]));
  });

  it('keeps local data, dependencies and secrets out of the build context', () => {
    const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.git', '.data', '**/node_modules', '.env', 'prisma/generated']));
  });
});

describe('deploy/docker-compose.yml', () => {
  it('runs every process of the image, each with exactly the variables it reads', () => {
    expect(new Set(minishop.map(({ process }) => process))).toEqual(
      new Set(Object.keys(PROCESS_ENTRIES).filter((name) => name !== 'web')),
    );
    const problems = minishop.flatMap(({ name, service, process }) =>
      checkProcessEnv(process, service.environment ?? {}).map(
        (problem) => `${name}: ${problem.name} ${problem.problem}`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('points every service URL at a service and the port its process listens on', () => {
    const urls = minishop.flatMap(({ name, service }) =>
      Object.entries(service.environment ?? {})
        .filter(([, value]) => /^https?:\/\//.test(value))
        .map(([variable, value]) => ({ from: `${name}.${variable}`, url: new URL(value) })),
    );
    expect(urls.length).toBeGreaterThan(15);
    for (const { from, url } of urls) {
      const target = compose.services[url.hostname];
      expect([from, target ? url.hostname : undefined]).toEqual([from, url.hostname]);
      const port = listeningPort(url.hostname);
      if (port !== undefined) expect([from, Number(url.port)]).toEqual([from, port]);
    }
    const router = required(compose.services.router?.environment, 'router environment');
    for (const subgraph of readSupergraphConfig()) {
      expect(router[`SUBGRAPH_URL_${subgraph.name.toUpperCase()}`]).toBe(
        `http://${subgraph.name}:${new URL(subgraph.routingUrl).port}/graphql`,
      );
    }
  });

  it('has the router decide @policy with the real OPA, loaded with the repo policy bundle', () => {
    expect(compose.services.router?.environment).toMatchObject({
      POLICY_DECISION_POINT: 'opa',
      OPA_URL: 'http://opa:8181',
    });
    const opa = required(compose.services.opa, 'opa service');
    expect(opa.image).toMatch(/^openpolicyagent\/opa:\d/);
    expect(opa.command).toEqual(expect.arrayContaining(['run', '--server', '--addr=0.0.0.0:8181', '/policy']));
    expect(opa.volumes).toContain('./opa/bundle:/policy:ro');
  });

  it('runs the backing services and the observability stack with the repo configuration', () => {
    for (const name of ['postgres', 'redis', 'rabbitmq', 'otel-collector', 'jaeger', 'prometheus', 'grafana']) {
      expect([name, compose.services[name]?.image]).toEqual([name, expect.stringMatching(/:[\w.-]+$/)]);
    }
    expect(compose.services.rabbitmq?.image).toContain('management');
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const [source = ''] = volume.split(':');
        const exists = source.startsWith('.') ? existsSync(path.join(__dirname, source)) : source in compose.volumes;
        expect([name, source, exists]).toEqual([name, source, true]);
      }
    }
    for (const { name, service, process } of minishop) {
      const expectedPort = listeningPort(name);
      if (process === 'migrate' || process === 'seed') continue;
      expect([name, service.healthcheck?.test]).toEqual([
        name,
        ['CMD', 'node', 'scripts/container/healthcheck.js', String(expectedPort)],
      ]);
      expect([name, service.read_only]).toEqual([name, true]);
    }
  });

  it('starts nothing that needs the database before the migrations ran', () => {
    for (const { name, service } of minishop.filter(({ service }) => service.environment?.DATABASE_URL)) {
      if (name === 'migrate') continue;
      const dependsOn = service.depends_on as Record<string, { condition: string }>;
      expect([name, dependsOn.migrate?.condition]).toEqual([name, 'service_completed_successfully']);
    }
  });
});
