// Validates a Kubernetes object against the JSON schema of its apiVersion and kind, from the
// kubernetes-models packages (the built-in API and the operators' CRDs the manifests use).
import type { KubeObject } from './kustomize';

/** API group -> the package holding its models; the built-in groups are in kubernetes-models. */
const CRD_PACKAGES: Record<string, string> = {
  'argoproj.io': '@kubernetes-models/argo-rollouts',
  'external-secrets.io': '@kubernetes-models/external-secrets',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'postgresql.cnpg.io': '@kubernetes-models/cloudnative-pg',
};

type Model = new (data: object) => { validate(): void };

function modelOf(apiVersion: string, kind: string): Model {
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
  const packageName = CRD_PACKAGES[group] ?? 'kubernetes-models';
  let module: Record<string, Model>;
  try {
    // The model's module path is only known at run time.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    module = require(`${packageName}/${apiVersion}/${kind}`) as Record<string, Model>;
  } catch {
    throw new Error(`no schema for ${apiVersion} ${kind} (add its kubernetes-models package to CRD_PACKAGES)`);
  }
  const model = module[kind];
  if (!model) throw new Error(`no model ${kind} in ${packageName}/${apiVersion}`);
  return model;
}

/** Throws with the schema's message when the object does not validate. */
export function validateObject(object: KubeObject): void {
  const Model = modelOf(object.apiVersion, object.kind);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(
      `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}: ${(error as Error).message}`,
    );
  }
}
