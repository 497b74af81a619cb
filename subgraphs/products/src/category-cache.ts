import type { PrismaClient } from '@minishop/db';
import type { CategoryRow } from './rows';

/**
 * Categories by id, kept in process memory for `ttlMs`: every catalog page shows each product's
 * category (and its parent), and categories change rarely. Misses go to the database, so new
 * categories appear at once; a renamed one shows its old name for at most `ttlMs`.
 */
export class CategoryCache {
  private readonly entries = new Map<string, { row: CategoryRow; expiresAt: number }>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly ttlMs = 30_000,
  ) {}

  async byIds(ids: string[]): Promise<CategoryRow[]> {
    const now = Date.now();
    const found: CategoryRow[] = [];
    const missing: string[] = [];
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry && entry.expiresAt > now) found.push(entry.row);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const rows = await this.prisma.category.findMany({
        where: { id: { in: missing } },
        select: { id: true, slug: true, name: true, parentId: true },
      });
      for (const row of rows) this.entries.set(row.id, { row, expiresAt: now + this.ttlMs });
      found.push(...rows);
    }
    return found;
  }
}
