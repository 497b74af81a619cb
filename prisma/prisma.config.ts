import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The Prisma CLI only runs `prisma generate` here (it needs no database URL). Migrations go through
// src/migrate.ts and the WebAssembly schema engine, because the CLI's native engine cannot be downloaded.
export default defineConfig({
  schema: path.join(__dirname, 'schema'),
  migrations: { path: path.join(__dirname, 'migrations') },
  datasource: { url: process.env.DATABASE_URL },
});
