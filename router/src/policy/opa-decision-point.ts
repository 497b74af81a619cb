import { request } from 'undici';
import { z } from 'zod';
import type { PolicyDecisionPoint } from './decision-point';

/** The rule the router queries: `decisions` in package minishop.authz (deploy/opa/bundle). */
export const OPA_DECISIONS_PATH = 'v1/data/minishop/authz/decisions';

export interface OpaDecisionPointOptions {
  /** The OPA server's base URL, e.g. http://127.0.0.1:8181 (a path prefix is kept). */
  url: string;
  /** Bounds the whole request: connecting, sending, waiting and reading the answer. */
  timeoutMs: number;
}

// OPA answers {"result": ...}; an undefined rule has no "result" at all, which must not read as "allow".
const answerSchema = z.object({ result: z.record(z.string(), z.unknown()) });

/**
 * Asks an OPA server over its REST Data API (POST <url>/v1/data/minishop/authz/decisions with
 * {"input": ...}). Throws on a network error, a timeout, a non-2xx status, or an answer that is not
 * JSON or has no `result` object; non-boolean decisions are dropped (read as deny by the guard).
 * undici's `request` is one POST over the global keep-alive pool: enough here, where @styra/opa would
 * add an SDK runtime and a Prisma filter package the router does not need.
 */
export function opaDecisionPoint(options: OpaDecisionPointOptions): PolicyDecisionPoint {
  const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
  const endpoint = new URL(OPA_DECISIONS_PATH, base).toString();
  return {
    async decide(input) {
      const response = await request(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (response.statusCode < 200 || response.statusCode >= 300) {
        await response.body.dump();
        throw new Error(`OPA answered HTTP ${response.statusCode}`);
      }
      const answer = answerSchema.safeParse(await response.body.json());
      if (!answer.success) throw new Error('OPA answered without a decisions object in "result"');
      return Object.fromEntries(
        Object.entries(answer.data.result).filter((entry): entry is [string, boolean] => typeof entry[1] === 'boolean'),
      );
    },
  };
}
