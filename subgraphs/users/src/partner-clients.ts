import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '@minishop/db';
import {
  badUserInput,
  forbidden,
  isUuid,
  notFound,
  requireScopes,
  type Identity,
  type Viewer,
} from '@minishop/runtime';

export interface PartnerClientRow {
  id: string;
  name: string;
  manifestId: string;
  keyPrefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const CLIENT_COLUMNS = {
  id: true,
  name: true,
  manifestId: true,
  keyPrefix: true,
  createdAt: true,
  revokedAt: true,
} as const;
const MANIFEST_ID = /^[a-z0-9][a-z0-9-]{1,99}$/;

/** Keys look like `msk_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole key proves it. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const API_KEY = /^msk_([A-Za-z0-9_-]{8})_[A-Za-z0-9_-]{43}$/;

function newApiKey(): { key: string; prefix: string } {
  const prefix = randomBytes(6).toString('base64url');
  return { key: `msk_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** Partner API clients (users:manage): created with a key shown once, listed, revoked. */
export class PartnerClientService {
  constructor(private readonly prisma: PrismaClient) {}

  async create(
    context: { viewer: Viewer | null },
    input: { name: string; manifestId: string },
  ): Promise<{ client: PartnerClientRow; apiKey: string }> {
    const viewer = requireScopes(context, 'users:manage');
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) throw badUserInput('Name must be 1 to 200 characters', { field: 'name' });
    if (!MANIFEST_ID.test(input.manifestId)) {
      throw badUserInput('manifestId must be lower-case letters, digits and dashes', { field: 'manifestId' });
    }
    const { key, prefix } = newApiKey();
    const client = await this.prisma.partnerClient.create({
      data: {
        name,
        manifestId: input.manifestId,
        keyPrefix: prefix,
        keyHash: hashApiKey(key),
        createdBy: viewer.userId,
      },
      select: CLIENT_COLUMNS,
    });
    return { client, apiKey: key };
  }

  list(context: { viewer: Viewer | null }): Promise<PartnerClientRow[]> {
    requireScopes(context, 'users:manage');
    return this.prisma.partnerClient.findMany({ orderBy: { createdAt: 'desc' }, select: CLIENT_COLUMNS });
  }

  /**
   * The active client an API key belongs to, or null (unknown, malformed or revoked key). Asked only
   * by the router (its own identity), which authenticates partners with it.
   */
  async byApiKey(context: { identity: Identity | null }, apiKey: string): Promise<PartnerClientRow | null> {
    if (context.identity?.kind !== 'router') throw forbidden('Only the router resolves API keys');
    const prefix = API_KEY.exec(apiKey)?.[1];
    if (!prefix) return null;
    const row = await this.prisma.partnerClient.findUnique({
      where: { keyPrefix: prefix },
      select: { ...CLIENT_COLUMNS, keyHash: true },
    });
    if (!row || row.revokedAt) return null;
    const matches = timingSafeEqual(Buffer.from(row.keyHash, 'hex'), Buffer.from(hashApiKey(apiKey), 'hex'));
    if (!matches) return null;
    const { keyHash: _hash, ...client } = row;
    return client;
  }

  /** Idempotent: revoking a revoked client keeps its first revocation time. */
  async revoke(context: { viewer: Viewer | null }, id: string): Promise<PartnerClientRow> {
    requireScopes(context, 'users:manage');
    const existing = isUuid(id)
      ? await this.prisma.partnerClient.findUnique({ where: { id }, select: CLIENT_COLUMNS })
      : null;
    if (!existing) throw notFound('No such partner client');
    if (existing.revokedAt) return existing;
    return this.prisma.partnerClient.update({ where: { id }, data: { revokedAt: new Date() }, select: CLIENT_COLUMNS });
  }
}
