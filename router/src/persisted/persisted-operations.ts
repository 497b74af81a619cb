import type { Logger } from '@minishop/runtime';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Caller } from '../caller';
import { sha256Hex, type Manifest, type Manifests } from './manifests';
import { readOperationRequest, type GraphQLRequestFields, type OperationRequest } from './request';
import { persistedOperationLookups } from '../metrics';
import { badRequest, notFound, notInList, PersistedErrorCode, type PersistedResolution } from './resolution';

/**
 * What first-party callers (anonymous and users) may run: anything (`off`), anything while logging
 * operations missing from the web manifest (`log_unknown`), or only the web manifest (`enforce`).
 */
export const FIRST_PARTY_SAFELIST_MODES = ['off', 'log_unknown', 'enforce'] as const;
export type FirstPartySafelist = (typeof FIRST_PARTY_SAFELIST_MODES)[number];

export interface PersistedOperationsOptions {
  /** The APQ cache, shared by every router replica. */
  redis: Redis;
  manifests: Manifests;
  firstPartySafelist: FirstPartySafelist;
  /** How long a registered APQ stays in Redis. */
  apqTtlSeconds: number;
  /** Prepended to every Redis key (`<prefix>apq:<sha256>`). */
  keyPrefix?: string;
  logger: Logger;
}

export interface PersistedOperations {
  /**
   * Turns a request into the operation text to execute, or a failure to answer with. Never throws:
   * a Redis outage degrades to PERSISTED_QUERY_NOT_FOUND on lookups and to not caching on stores.
   */
  resolve(request: GraphQLRequestFields, caller: Caller): Promise<PersistedResolution>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
// Bounds what "log once" remembers, so a flood of distinct unknown operations cannot grow memory.
const MAX_REMEMBERED_UNKNOWN = 10_000;
const MAX_REMEMBERED_MISSING_MANIFESTS = 1_000;

/** Automatic persisted queries (Apollo's protocol) and manifest safelists, per caller kind. */
export function createPersistedOperations(options: PersistedOperationsOptions): PersistedOperations {
  const { redis, manifests, firstPartySafelist: mode, apqTtlSeconds, keyPrefix = '', logger } = options;
  const web = manifests.web.operations;
  const loggedUnknown = new LRUCache<string, true>({ max: MAX_REMEMBERED_UNKNOWN });
  const warnedMissing = new LRUCache<string, true>({ max: MAX_REMEMBERED_MISSING_MANIFESTS });
  const apqKey = (hash: string) => `${keyPrefix}apq:${hash}`;

  const logUnknown = (hash: string, operationName: string | undefined) => {
    if (mode !== 'log_unknown' || loggedUnknown.has(hash)) return;
    loggedUnknown.set(hash, true);
    logger.info({ operationName: operationName ?? null, hash }, 'operation not in the web persisted query manifest');
  };

  const denyMissingManifest = (manifestId: string) => {
    if (!warnedMissing.has(manifestId)) {
      warnedMissing.set(manifestId, true);
      logger.warn({ manifestId }, 'partner client has no persisted query manifest: every operation is denied');
    }
    return notFound(400);
  };

  function resolvePartner(request: OperationRequest, manifest: Manifest): PersistedResolution {
    if (request.query !== undefined) {
      return notInList('Partner clients may only send the id of an operation in their persisted query manifest');
    }
    // Partners cannot register operations, so an unknown id is final: 400, not the APQ "resend" 200.
    const operation = manifest.operations.get(request.id);
    return operation
      ? { ok: true, query: operation.body, persistedId: operation.id, source: 'manifest' }
      : notFound(400);
  }

  async function resolveFirstParty(request: OperationRequest): Promise<PersistedResolution> {
    const { operationName } = request;
    if (request.id === undefined) {
      const { query } = request;
      if (mode === 'off') return { ok: true, query, source: 'freeform' };
      const hash = sha256Hex(query);
      if (web.has(hash)) return { ok: true, query, persistedId: hash, source: 'manifest' };
      if (mode === 'enforce') return notInList('This operation is not in the persisted query safelist');
      logUnknown(hash, operationName);
      return { ok: true, query, source: 'freeform' };
    }

    const { id } = request;
    if (request.query === undefined) {
      const known = web.get(id);
      if (known) return { ok: true, query: known.body, persistedId: id, source: 'manifest' };
      if (mode === 'enforce' || !SHA256_HEX.test(id)) return notFound(200);
      let stored: string | null;
      try {
        stored = await redis.get(apqKey(id));
      } catch (error) {
        logger.warn({ err: error, hash: id }, 'APQ lookup failed: answering PersistedQueryNotFound');
        return notFound(200);
      }
      if (stored === null) return notFound(200);
      logUnknown(id, operationName);
      return { ok: true, query: stored, persistedId: id, source: 'apq' };
    }

    // Text and id: an APQ registration (the client resends the text after PersistedQueryNotFound).
    const { query } = request;
    if (sha256Hex(query) !== id) return badRequest('provided sha does not match query');
    if (web.has(id)) return { ok: true, query, persistedId: id, source: 'manifest' };
    if (mode === 'enforce') return notInList('This operation is not in the persisted query safelist');
    try {
      await redis.set(apqKey(id), query, 'EX', apqTtlSeconds);
    } catch (error) {
      logger.warn({ err: error, hash: id }, 'APQ store failed: serving the query uncached');
    }
    logUnknown(id, operationName);
    return { ok: true, query, persistedId: id, source: 'apq' };
  }

  async function resolve(fields: GraphQLRequestFields, caller: Caller): Promise<PersistedResolution> {
    if (caller.kind === 'partner') {
      // Checked before the request is even read: a partner without a manifest is denied everything.
      const manifest = manifests.partners.get(caller.manifestId);
      if (!manifest) return denyMissingManifest(caller.manifestId);
      const request = readOperationRequest(fields);
      return 'ok' in request ? request : resolvePartner(request, manifest);
    }
    const request = readOperationRequest(fields);
    return 'ok' in request ? request : resolveFirstParty(request);
  }

  return {
    async resolve(fields, caller) {
      const resolution = await resolve(fields, caller);
      persistedOperationLookups.inc(lookupLabels(fields, resolution));
      return resolution;
    },
  };
}

/** Metric labels: where the operation came from and how (an APQ `hit`, `miss` or `registered`, a `refused` one...). */
function lookupLabels(fields: GraphQLRequestFields, resolution: PersistedResolution) {
  if (resolution.ok) {
    const registered = resolution.source === 'apq' && typeof fields.query === 'string';
    return { source: resolution.source, result: registered ? 'registered' : 'hit' };
  }
  const byId = fields.query == null;
  if (resolution.code === PersistedErrorCode.NotFound) return { source: byId ? 'id' : 'text', result: 'miss' };
  return {
    source: byId ? 'id' : 'text',
    result: resolution.code === PersistedErrorCode.NotInList ? 'refused' : 'invalid',
  };
}
