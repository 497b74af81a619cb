// A minimal kustomize for offline tests (no kubectl on the build machines): resources (files and
// kustomization directories), configMap/secret generators with `behavior: merge`, `namespace`, `images`
// and JSON 6902 patches selected by kind, name (a regex, as in kustomize), namespace and label selector.
// Anything else in a kustomization fails loudly, so the manifests stay within what this checks.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, deepClone, type Operation } from 'fast-json-patch';
import { parseAllDocuments } from 'yaml';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Generator {
  name: string;
  namespace?: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
  files?: string[];
  options?: { labels?: Record<string, string>; disableNameSuffixHash?: boolean };
}

interface PatchTarget {
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  configMapGenerator?: Generator[];
  secretGenerator?: (Generator & { type?: string })[];
  images?: { name: string; newName?: string; newTag?: string; digest?: string }[];
  patches?: { target: PatchTarget; path?: string; patch?: string }[];
}

const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'configMapGenerator',
  'secretGenerator',
  'images',
  'patches',
]);

/** Every YAML document of a file, as objects (empty documents dropped); a syntax error throws. */
export function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
    const value: unknown = document.toJS();
    return value == null ? [] : [value];
  });
}

export function readKustomization(dir: string): Kustomization {
  const [kustomization] = readYamlDocuments(path.join(dir, 'kustomization.yaml')) as Kustomization[];
  if (!kustomization) throw new Error(`${dir}/kustomization.yaml is empty`);
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0)
    throw new Error(`${dir}/kustomization.yaml: unsupported fields ${unsupported.join(', ')}`);
  return kustomization;
}

/** A path a kustomization may load: inside its own directory (kustomize's default load restrictor). */
function localFile(dir: string, file: string): string {
  const resolved = path.resolve(dir, file);
  if (!resolved.startsWith(`${dir}${path.sep}`)) throw new Error(`${dir}: ${file} is outside the kustomization`);
  if (!existsSync(resolved)) throw new Error(`${dir}: ${file} does not exist`);
  return resolved;
}

function generate(kind: 'ConfigMap' | 'Secret', dir: string, generator: Generator): KubeObject {
  const data: Record<string, string> = {};
  for (const literal of generator.literals ?? []) {
    const [key, ...value] = literal.split('=');
    data[key ?? ''] = value.join('=');
  }
  for (const file of generator.files ?? []) data[path.basename(file)] = readFileSync(localFile(dir, file), 'utf8');
  const metadata = { name: generator.name, namespace: generator.namespace, labels: generator.options?.labels };
  return kind === 'ConfigMap'
    ? { apiVersion: 'v1', kind, metadata, data }
    : {
        apiVersion: 'v1',
        kind,
        metadata,
        type: (generator as { type?: string }).type ?? 'Opaque',
        stringData: data,
      };
}

function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  // Terms joined by commas outside parentheses: `a=b`, `a!=b`, `a in (x,y)`.
  return selector.split(/,(?![^(]*\))/).every((term) => {
    const inSet = /^\s*([\w./-]+)\s+in\s+\(([^)]*)\)\s*$/.exec(term);
    if (inSet) {
      const [, key = '', values = ''] = inSet;
      return values
        .split(',')
        .map((value) => value.trim())
        .includes(labels[key] ?? '');
    }
    const equality = /^\s*([\w./-]+)\s*(!=|==|=)\s*([\w./-]*)\s*$/.exec(term);
    if (!equality) throw new Error(`unsupported label selector term: ${term}`);
    const [, key = '', operator, value] = equality;
    return (labels[key] === value) === (operator !== '!=');
  });
}

export function matchesTarget(object: KubeObject, target: PatchTarget): boolean {
  return (
    (!target.kind || object.kind === target.kind) &&
    (!target.name || new RegExp(`^(?:${target.name})$`).test(object.metadata.name)) &&
    (!target.namespace || object.metadata.namespace === target.namespace) &&
    (!target.labelSelector || matchesSelector(object.metadata.labels ?? {}, target.labelSelector))
  );
}

/** Containers and init containers of a workload's pod template (or of a pod). */
export function podSpecOf(object: KubeObject): { containers?: unknown[]; initContainers?: unknown[] } | undefined {
  const spec = object.spec as { template?: { spec?: object }; containers?: unknown[] } | undefined;
  return (spec?.template?.spec ?? (object.kind === 'Pod' ? spec : undefined)) as
    { containers?: unknown[]; initContainers?: unknown[] } | undefined;
}

function setImages(object: KubeObject, images: NonNullable<Kustomization['images']>): void {
  const pod = podSpecOf(object);
  for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])] as { image?: string }[]) {
    const image = images.find((candidate) => container.image === candidate.name);
    if (!image) continue;
    const name = image.newName ?? image.name;
    container.image = image.digest ? `${name}@${image.digest}` : `${name}:${image.newTag ?? 'latest'}`;
  }
}

/** The objects `kubectl kustomize <dir>` would print (without generator name hashes). */
export function render(dir: string): KubeObject[] {
  const kustomization = readKustomization(dir);
  const objects: KubeObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const resolved = path.resolve(dir, resource);
    if (!existsSync(resolved)) throw new Error(`${dir}: resource ${resource} does not exist`);
    if (statSync(resolved).isDirectory()) objects.push(...render(resolved));
    else objects.push(...(readYamlDocuments(localFile(dir, resource)) as KubeObject[]));
  }
  const generators = [
    ...(kustomization.configMapGenerator ?? []).map((generator) => ['ConfigMap', generator] as const),
    ...(kustomization.secretGenerator ?? []).map((generator) => ['Secret', generator] as const),
  ];
  for (const [kind, generator] of generators) {
    const generated = generate(kind, dir, {
      ...generator,
      namespace: generator.namespace ?? kustomization.namespace,
    });
    const existing = objects.find(
      (object) =>
        object.kind === kind &&
        object.metadata.name === generator.name &&
        object.metadata.namespace === generated.metadata.namespace,
    );
    if (generator.behavior === 'merge' || generator.behavior === 'replace') {
      if (!existing) throw new Error(`${dir}: ${kind} ${generator.name} to ${generator.behavior} does not exist`);
      const field = kind === 'ConfigMap' ? 'data' : 'stringData';
      existing[field] =
        generator.behavior === 'merge'
          ? { ...(existing[field] as object), ...(generated[field] as object) }
          : generated[field];
    } else {
      if (existing) throw new Error(`${dir}: ${kind} ${generator.name} is generated twice`);
      objects.push(generated);
    }
  }
  if (kustomization.namespace) {
    for (const object of objects) if (object.kind !== 'Namespace') object.metadata.namespace = kustomization.namespace;
  }
  for (const { target, path: patchFile, patch } of kustomization.patches ?? []) {
    const text = patchFile ? readFileSync(localFile(dir, patchFile), 'utf8') : (patch ?? '');
    const [operations] = parseAllDocuments(text).map((document) => document.toJS() as unknown);
    if (!Array.isArray(operations))
      throw new Error(`${dir}: only JSON 6902 patches (a list of operations) are supported`);
    const targets = objects.filter((object) => matchesTarget(object, target));
    if (targets.length === 0) throw new Error(`${dir}: patch target ${JSON.stringify(target)} matches nothing`);
    for (const object of targets) {
      const patched = applyPatch(deepClone(object), operations as Operation[], true).newDocument as KubeObject;
      objects[objects.indexOf(object)] = patched;
    }
  }
  for (const object of objects) setImages(object, kustomization.images ?? []);
  return objects;
}
