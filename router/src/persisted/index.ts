export {
  loadManifests,
  ManifestError,
  sha256Hex,
  type Manifest,
  type ManifestOperation,
  type Manifests,
} from './manifests';
export {
  createPersistedOperations,
  FIRST_PARTY_SAFELIST_MODES,
  type FirstPartySafelist,
  type PersistedOperations,
  type PersistedOperationsOptions,
} from './persisted-operations';
export type { GraphQLRequestFields } from './request';
export {
  PersistedErrorCode,
  type PersistedFailure,
  type PersistedResolution,
  type PersistedSuccess,
} from './resolution';
