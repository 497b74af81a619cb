import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client';

/** A Prisma client on the pg driver adapter (Prisma 7 has no native query engine). */
export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

// PrismaClient, the Prisma namespace (input types, errors), model types and enums.
export * from '../generated/client';

/**
 * A process-wide Prisma client, disconnected on shutdown. `scope` is the process scope from
 * @minishop/runtime's runProcess (structurally typed: the db package does not depend on it).
 */
export function connectPrisma(
  databaseUrl: string,
  scope: { onShutdown: (closer: () => Promise<void>) => void },
): PrismaClient {
  const prisma = createPrismaClient(databaseUrl);
  scope.onShutdown(() => prisma.$disconnect());
  return prisma;
}

/** Readiness check: the database answers a trivial query. */
export async function pingDatabase(prisma: PrismaClient): Promise<void> {
  await prisma.$queryRaw`SELECT 1`;
}
