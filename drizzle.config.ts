import { defineConfig } from "drizzle-kit";

// Generation only: migrations are applied by db/migrate.ts on start and by `sitrep db migrate`.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
});
